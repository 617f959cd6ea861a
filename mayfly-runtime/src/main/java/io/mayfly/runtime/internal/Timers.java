package io.mayfly.runtime.internal;

import java.util.PriorityQueue;

/**
 * Actions due at a time on the node clock: actor timers and ask timeouts. Advanced by the node's
 * housekeeping; due actions run on the advancing thread, in deadline order, ties in the order they
 * were scheduled.
 */
final class Timers {
  private final PriorityQueue<Due> queue = new PriorityQueue<>();
  private long sequence;

  private record Due(long atNanos, long seq, Runnable action) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  synchronized void schedule(long atNanos, Runnable action) {
    queue.add(new Due(atNanos, sequence++, action));
  }

  /** Runs every action due at or before {@code now}. */
  void advanceTo(long now) {
    for (; ; ) {
      Due due;
      synchronized (this) {
        due = queue.peek();
        if (due == null || due.atNanos - now > 0) {
          return;
        }
        queue.poll();
      }
      due.action.run();
    }
  }

  /** The earliest due time, {@link Long#MAX_VALUE} when nothing is scheduled. */
  synchronized long nextDue() {
    Due due = queue.peek();
    return due == null ? Long.MAX_VALUE : due.atNanos;
  }

  synchronized int size() {
    return queue.size();
  }
}
