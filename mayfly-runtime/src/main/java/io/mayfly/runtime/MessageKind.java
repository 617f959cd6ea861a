package io.mayfly.runtime;

/** What a message is; the codes are the ABI's {@code message_kind}. */
public enum MessageKind {
  /** A one-way message. */
  TELL,
  /** A request that expects a reply. */
  ASK,
  /** The answer to an ask this actor made. */
  REPLY,
  /** A timer the actor set for itself. */
  TIMER,
  /** A publication on a topic the actor subscribes to. */
  PUBLICATION,
  /** The last turn before the actor's state is dropped. */
  EXPIRE;

  /** The ABI code. */
  public int code() {
    return ordinal();
  }
}
