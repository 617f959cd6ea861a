package io.mayfly.runtime;

/**
 * The node's source of time: TTLs, timers, ask timeouts and the guest's {@code now_ms} all read it.
 * Inject a {@link ManualClock} to test time-dependent behaviour without sleeping.
 */
public interface MayflyClock {
  /** Wall-clock time in milliseconds since the epoch, as guests see it. */
  long epochMillis();

  /** A monotonic reading in nanoseconds, for deadlines. */
  long nanoTime();

  /** The system clock. */
  static MayflyClock system() {
    return SystemClock.INSTANCE;
  }

  /** Whether the clock moves by itself; a manual clock moves only when advanced. */
  default boolean isManual() {
    return false;
  }

  /** The system clock. */
  enum SystemClock implements MayflyClock {
    INSTANCE;

    @Override
    public long epochMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }
  }
}
