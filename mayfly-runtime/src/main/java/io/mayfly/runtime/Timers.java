package io.mayfly.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Actions due at a time on the node clock: actor timers and ask timeouts. Advanced by the node's
 * housekeeping; due actions run on the advancing thread, in deadline order, ties in the order they
 * were scheduled. An action can be cancelled before it is due, which removes it: an ask answered in
 * time leaves nothing behind (at tens of thousands of asks per second, timeouts that stayed queued
 * until due would hold hundreds of thousands of entries).
 */
final class Timers {
  private final ConcurrentSkipListMap<Due, Runnable> queue = new ConcurrentSkipListMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /** The queue's size, kept apart: a skip list counts its entries one by one. */
  private final LongAdder size = new LongAdder();

  /** A scheduled action's place in the queue; give it to {@link #cancel} to remove the action. */
  record Due(long atNanos, long seq) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  Due schedule(long atNanos, Runnable action) {
    var due = new Due(atNanos, sequence.getAndIncrement());
    queue.put(due, action);
    size.increment();
    return due;
  }

  /** Removes an action that has not run yet; nothing happens if it ran or was cancelled. */
  void cancel(Due due) {
    if (queue.remove(due) != null) {
      size.decrement();
    }
  }

  /** Runs every action due at or before {@code now}. */
  void advanceTo(long now) {
    for (; ; ) {
      Map.Entry<Due, Runnable> first = queue.firstEntry();
      if (first == null || first.getKey().atNanos() - now > 0) {
        return;
      }
      // Whoever removes the entry runs it: never twice, never after a cancel.
      if (queue.remove(first.getKey(), first.getValue())) {
        size.decrement();
        first.getValue().run();
      }
    }
  }

  /** The earliest due time, {@link Long#MAX_VALUE} when nothing is scheduled. */
  long nextDue() {
    Map.Entry<Due, Runnable> first = queue.firstEntry();
    return first == null ? Long.MAX_VALUE : first.getKey().atNanos();
  }

  long size() {
    return size.sum();
  }
}
