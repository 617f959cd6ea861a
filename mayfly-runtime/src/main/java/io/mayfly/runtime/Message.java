package io.mayfly.runtime;

/**
 * A message on its way to an actor.
 *
 * @param target the actor it is for
 * @param kind what it is
 * @param payload its bytes (not copied: never modify them after sending)
 * @param sender the sending actor, or {@code null} for messages from outside or from the runtime
 * @param correlationId REPLY: the asker's correlation id; TIMER: the timer id; otherwise 0
 * @param replyStatus REPLY: how the ask ended; otherwise {@link ReplyStatus#OK}
 * @param topic PUBLICATION: the topic; otherwise {@code null}
 * @param requestId ASK: the node-local id of the pending request to answer; a REPLY given to {@link
 *     Mayfly#deliver(Message)} with this set answers that request; otherwise 0
 */
public record Message(
    Address target,
    MessageKind kind,
    byte[] payload,
    Address sender,
    long correlationId,
    ReplyStatus replyStatus,
    String topic,
    long requestId) {

  /** The answer to request {@code requestId} pending on the node it is delivered to. */
  public static Message answer(long requestId, Address target, byte[] payload) {
    return new Message(
        target, MessageKind.REPLY, payload, null, 0, ReplyStatus.OK, null, requestId);
  }

  /** A one-way message. */
  public static Message tell(Address target, byte[] payload, Address sender) {
    return new Message(target, MessageKind.TELL, payload, sender, 0, ReplyStatus.OK, null, 0);
  }
}
