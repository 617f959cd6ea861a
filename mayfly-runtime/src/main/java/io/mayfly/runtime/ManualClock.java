package io.mayfly.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told. A node built with it runs its housekeeping (timers, ask
 * timeouts, TTL expiry) each time the clock is advanced, on the advancing thread.
 */
public final class ManualClock implements MayflyClock {
  private final long epochOffsetMillis;
  private final AtomicLong nanos = new AtomicLong();
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

  private ManualClock(Instant start) {
    this.epochOffsetMillis = start.toEpochMilli();
  }

  /** A clock that starts at {@code start}. */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(start);
  }

  /** A clock that starts at 2026-01-01T00:00:00Z. */
  public static ManualClock create() {
    return startingAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward and runs what became due. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new InvalidConfigException("a clock cannot go back: " + d);
    }
    nanos.addAndGet(d.toNanos());
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  /** The current time as an instant. */
  public Instant instant() {
    return Instant.ofEpochMilli(epochMillis());
  }

  @Override
  public long epochMillis() {
    return epochOffsetMillis + nanos.get() / 1_000_000;
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public boolean isManual() {
    return true;
  }

  /** Runs {@code listener} after every advance; nodes register their housekeeping here. */
  public void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }
}
