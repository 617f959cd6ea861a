package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;

/**
 * A message in a mailbox, with what only this node needs: the dropped state an expiry turn reads,
 * and when it was enqueued (for latency metrics). It is also the mailbox's link ({@link
 * ActorCell}), so queueing a message allocates nothing more.
 */
final class Envelope extends MailboxLink {
  private final Message message;
  private final ActorState expiring;
  private final long enqueuedNanos;

  /** What the message counts against the node's queue budget: its payload and this envelope. */
  final int cost;

  /** The counters of the target's type, which count it while it is queued. */
  final TypeCounters counters;

  /** Bytes an envelope and its message object take beyond the payload. */
  static final int OVERHEAD = 96;

  Envelope(Message message, ActorState expiring, long enqueuedNanos, TypeCounters counters) {
    this.message = message;
    this.expiring = expiring;
    this.enqueuedNanos = enqueuedNanos;
    this.cost = message == null ? 0 : message.payload().length + OVERHEAD;
    this.counters = counters;
  }

  Message message() {
    return message;
  }

  ActorState expiring() {
    return expiring;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }
}
