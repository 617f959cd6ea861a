package io.mayfly.runtime;

/**
 * The node's source of time: TTLs, timers, ask timeouts and the guest's {@code now_ms} all read it.
 * Inject a {@link ManualClock} to test time-dependent behaviour without sleeping.
 *
 * <p>Readings are nanoseconds since the epoch: a deadline kept in an actor's state means the same
 * instant on every node of a cluster (up to the skew between their clocks).
 */
public interface MayflyClock {
  /** Wall-clock time in milliseconds since the epoch: {@link #nanoTime()} in milliseconds. */
  default long epochMillis() {
    return Math.floorDiv(nanoTime(), 1_000_000);
  }

  /** Nanoseconds since the epoch; never goes back. */
  long nanoTime();

  /** The system clock. */
  static MayflyClock system() {
    return SystemClock.INSTANCE;
  }

  /** Whether the clock moves by itself; a manual clock moves only when advanced. */
  default boolean isManual() {
    return false;
  }

  /**
   * The system clock: {@link System#nanoTime()} (monotonic) anchored once to the wall clock, so
   * readings are epoch nanoseconds that never go back.
   */
  enum SystemClock implements MayflyClock {
    INSTANCE;

    /** Epoch nanoseconds minus {@link System#nanoTime()}: fixed when the class loads. */
    static final long OFFSET = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    @Override
    public long nanoTime() {
      return System.nanoTime() + OFFSET;
    }

    /** A reading of this clock as {@link System#nanoTime()} would have given it. */
    static long toSystemNanos(long clockNanos) {
      return clockNanos - OFFSET;
    }
  }
}
