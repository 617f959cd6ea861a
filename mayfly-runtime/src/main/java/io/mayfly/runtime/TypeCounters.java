package io.mayfly.runtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one actor type: turns, and failed turns by reason. Exported as {@code
 * mayfly_turns_total{type}} and {@code mayfly_turns_failed_total{type,reason}}.
 */
final class TypeCounters {
  final LongAdder turns = new LongAdder();

  /** Messages not handled because the actor had handled their id already. */
  final LongAdder duplicates = new LongAdder();

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
