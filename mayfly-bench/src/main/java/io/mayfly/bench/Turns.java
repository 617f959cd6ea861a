package io.mayfly.bench;

import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Waits for a node's turn counter, parking between looks so the waiter leaves the cores free. */
final class Turns {
  /** How long to park between two looks at the counter. */
  private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

  /** A run that makes no progress for this long is stuck (a failing guest, a lost message). */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Turns() {}

  /**
   * Returns once the node has run {@code target} turns since it started.
   *
   * @throws IllegalStateException if turns failed or the count stopped moving
   */
  static void await(Mayfly node, long target) {
    long seen = -1;
    long since = System.nanoTime();
    for (; ; ) {
      NodeStats stats = node.stats();
      if (stats.failedTurns() > 0 || stats.rejected() > 0) {
        throw new IllegalStateException("the benchmark's turns must not fail: " + stats);
      }
      if (stats.turns() >= target) {
        return;
      }
      long now = System.nanoTime();
      if (stats.turns() != seen) {
        seen = stats.turns();
        since = now;
      } else if (now - since > STALL_NANOS) {
        throw new IllegalStateException(
            "no progress for 30 s at " + seen + " of " + target + " turns: " + stats);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
