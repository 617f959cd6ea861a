package io.mayfly.runtime.spi;

/**
 * A message an actor handled that carried an id (an idempotency key), remembered in its state so
 * that the same message sent again within the window is not handled twice: a tell is dropped, an
 * ask is answered with the remembered reply.
 *
 * @param fingerprint what the message was (its kind and a digest of its payload): the same id with
 *     another fingerprint is a reuse of the key, refused
 * @param outcome how the turn that handled it ended
 * @param reply the reply an ask got ({@link Outcome#REPLIED}); otherwise {@code null}
 * @param expiresAtNanos when the id is forgotten, on the node clock
 */
public record HandledMessage(long fingerprint, Outcome outcome, byte[] reply, long expiresAtNanos) {
  /** Bytes charged per remembered id beyond its id and reply, for the budgets. */
  public static final int OVERHEAD = 64;

  /** How the turn that handled the message ended. */
  public enum Outcome {
    /** A tell or a publication: handled, nothing to answer. */
    TOLD,
    /** An ask answered in its own turn; {@link #reply()} holds the answer. */
    REPLIED,
    /** An ask whose turn committed without answering it (answered {@code no_reply}). */
    NO_REPLY,
    /** An ask whose turn took its reply handle to answer later: that answer is not remembered. */
    DEFERRED
  }

  /** Whether the id is still remembered at {@code nowNanos}. */
  public boolean liveAt(long nowNanos) {
    return expiresAtNanos - nowNanos > 0;
  }

  /** Bytes this record takes in the state, with its id of {@code idLength} characters. */
  public int bytes(int idLength) {
    return OVERHEAD + idLength + (reply == null ? 0 : reply.length);
  }
}
