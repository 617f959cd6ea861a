package io.mayfly.runtime;

/**
 * A link of a mailbox's queue ({@link ActorCell}): an {@link Envelope}, or the cell itself, which
 * is the queue's first link while nothing has been consumed, so a new mailbox allocates no
 * placeholder.
 */
abstract class MailboxLink {
  /** The next envelope; written once by the producer that queued it. */
  volatile Envelope next;
}
