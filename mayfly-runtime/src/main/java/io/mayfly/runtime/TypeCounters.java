package io.mayfly.runtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one actor type: turns, failed turns by reason, dropped guest log lines. Exported
 * as {@code mayfly_turns_total{type}}, {@code mayfly_turns_failed_total{type,reason}} and {@code
 * mayfly_actor_log_dropped_total{type}}.
 */
final class TypeCounters {
  final LongAdder turns = new LongAdder();

  /** Messages not handled because the actor had handled their id already. */
  final LongAdder duplicates = new LongAdder();

  /** Guest log lines dropped over the per-actor limit. */
  final LongAdder logDropped = new LongAdder();

  /**
   * Messages queued for the type's actors. The node's figure is the sum over its types: one adder
   * per queue and dequeue, not one per type and one per node.
   */
  final LongAdder queued = new LongAdder();

  /** Bytes of messages queued for the type's actors (payloads plus envelopes). */
  final LongAdder queuedBytes = new LongAdder();

  private final LongAdder[] failed = new LongAdder[FailureReason.values().length];

  TypeCounters() {
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new LongAdder();
    }
  }

  LongAdder failed(FailureReason reason) {
    return failed[reason.ordinal()];
  }
}
