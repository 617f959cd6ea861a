package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;

/**
 * A message in a mailbox, with what only this node needs: the dropped state an expiry turn reads,
 * and when it was enqueued (for latency metrics). It is also the mailbox's link ({@link
 * ActorCell}), so queueing a message allocates nothing more.
 */
final class Envelope {
  private final Message message;
  private final ActorState expiring;
  private final long enqueuedNanos;

  /** The next envelope in the mailbox; written once by the producer that queued it. */
  volatile Envelope next;

  Envelope(Message message, ActorState expiring, long enqueuedNanos) {
    this.message = message;
    this.expiring = expiring;
    this.enqueuedNanos = enqueuedNanos;
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
