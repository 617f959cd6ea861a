package io.mayfly.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when told. A node built with it runs its housekeeping (timers, ask
 * timeouts, TTL expiry) each time the clock is advanced, on the advancing thread.
 */
public final class ManualClock implements MayflyClock {
  private final AtomicLong nanos;
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<LongSupplier> dueTimes = new CopyOnWriteArrayList<>();

  private ManualClock(Instant start) {
    this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
  }

  /** A clock that starts at {@code start}. */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(start);
  }

  /** A clock that starts at 2026-01-01T00:00:00Z. */
  public static ManualClock create() {
    return startingAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward and runs what became due. The clock stops at every due time its
   * listeners report on the way, so a timer's turn sees its own due time, and a timer set by
   * another one that falls due within the advance fires in it too.
   *
   * @throws InvalidConfigException if {@code d} is negative or missing: a clock cannot go back
   */
  public void advance(Duration d) {
    if (d == null || d.isNegative()) {
      throw new InvalidConfigException(
          "a clock cannot go back: advance by zero or more, was " + Durations.show(d));
    }
    long target = nanos.get() + d.toNanos();
    for (; ; ) {
      long next = nextDue();
      if (next == Long.MAX_VALUE || next - target > 0) {
        break;
      }
      if (next - nanos.get() > 0) {
        nanos.set(next);
      }
      runListeners();
      if (nextDue() == next) {
        break; // a listener left this due time in place: finish at the target instead of spinning
      }
    }
    nanos.set(target);
    runListeners();
  }

  private long nextDue() {
    long next = Long.MAX_VALUE;
    for (LongSupplier due : dueTimes) {
      next = Math.min(next, due.getAsLong());
    }
    return next;
  }

  private void runListeners() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** The current time as an instant. */
  public Instant instant() {
    long n = nanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public boolean isManual() {
    return true;
  }

  /**
   * Runs {@code listener} after every advance and at every due time {@code nextDueNanos} reports
   * ({@link Long#MAX_VALUE} for none); nodes register their timers here.
   */
  public void onAdvance(Runnable listener, LongSupplier nextDueNanos) {
    listeners.add(listener);
    dueTimes.add(nextDueNanos);
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** Stops asking {@code nextDueNanos}. */
  public void removeDueTimes(LongSupplier nextDueNanos) {
    dueTimes.remove(nextDueNanos);
  }
}
