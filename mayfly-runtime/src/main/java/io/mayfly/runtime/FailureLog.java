package io.mayfly.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs failed turns, at most one line per actor type per interval, with how many of that type's
 * failures the interval left out: an actor that fails every turn shows in the log without flooding
 * it. Every failure is counted in the metrics regardless.
 */
final class FailureLog {
  private static final System.Logger LOG = System.getLogger("io.mayfly.runtime.TurnFailures");

  /** At most one line per type in this time. */
  static final long INTERVAL_NANOS = 10_000_000_000L;

  private static final class Window {
    /** When the next line may be written, on the node clock; Long.MIN_VALUE: at once. */
    final AtomicLong nextLine = new AtomicLong(Long.MIN_VALUE);

    final AtomicLong suppressed = new AtomicLong();
  }

  private final ConcurrentHashMap<String, Window> byType = new ConcurrentHashMap<>();
  private final System.Logger log;

  FailureLog() {
    this(LOG);
  }

  FailureLog(System.Logger log) {
    this.log = log;
  }

  /**
   * Logs a failed turn of {@code actor} at {@code nowNanos} in {@code trace} (or none), or counts
   * it as left out.
   */
  void failed(
      String type, Address actor, TurnRecord.Failure failure, long nowNanos, TraceContext trace) {
    Window w = byType.computeIfAbsent(type, t -> new Window());
    long next = w.nextLine.get();
    if ((next == Long.MIN_VALUE || nowNanos - next >= 0)
        && w.nextLine.compareAndSet(next, nowNanos + INTERVAL_NANOS)) {
      long left = w.suppressed.getAndSet(0);
      LogContext.log(
          log,
          System.Logger.Level.WARNING,
          actor,
          trace,
          "turn failed ("
              + failure.reason().code()
              + "): "
              + failure.message()
              + (left > 0
                  ? " [" + left + " more failed turns of type " + type + " not logged]"
                  : ""));
    } else {
      w.suppressed.incrementAndGet();
    }
  }

  /** Forgets an undeployed type. */
  void forget(String type) {
    byType.remove(type);
  }
}
