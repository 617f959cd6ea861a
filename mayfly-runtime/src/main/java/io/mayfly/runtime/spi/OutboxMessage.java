package io.mayfly.runtime.spi;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.TraceContext;

/**
 * A message a committed turn sent to another actor, kept in the sender's state until the receiver
 * confirms it handled the message (only when the {@link StateStore#replicated() store replicates}):
 * whoever owns the sender after a failure sends it again, and the receiver drops the copy it
 * already handled by its {@link #id()}.
 *
 * @param id the message's id: the receiver handles a message with this id once within the window
 * @param to the receiving actor
 * @param ask whether it is an ask (the sender waits for a reply) rather than a tell
 * @param payload its bytes
 * @param correlationId an ask's correlation id, which its reply carries back; 0 for a tell
 * @param timeoutNanos how long an ask waits for its reply, counted again when sent again
 * @param trace the trace it was sent in, or {@code null}
 * @param expiresAtNanos when the sender stops sending it again, on the node clock
 */
public record OutboxMessage(
    String id,
    Address to,
    boolean ask,
    byte[] payload,
    long correlationId,
    long timeoutNanos,
    TraceContext trace,
    long expiresAtNanos) {
  /** Bytes charged per message beyond its id and payload, for the budgets. */
  public static final int OVERHEAD = 96;

  /** Whether it is still to be sent again at {@code nowNanos}. */
  public boolean liveAt(long nowNanos) {
    return expiresAtNanos - nowNanos > 0;
  }

  /** Bytes this message takes in the state. */
  public int bytes() {
    return OVERHEAD + id.length() + payload.length;
  }
}
