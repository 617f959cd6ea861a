package io.mayfly.runtime;

/**
 * The outcome of an ask, on its way to the node that waits for it ({@link RequestRef#node()}). A
 * cluster's placement carries it there and hands it to {@link Mayfly#deliver(Answer)}.
 *
 * @param request the request it answers
 * @param from the actor that was asked
 * @param status how the ask ended
 * @param payload OK: the reply; FAILED and UNDELIVERABLE: the reason as UTF-8 text; TIMEOUT: empty
 * @param reason FAILED: why the turn failed; otherwise {@code null}
 */
public record Answer(
    RequestRef request, Address from, ReplyStatus status, byte[] payload, FailureReason reason) {
  public Answer {
    if (request == null || status == null || payload == null) {
      throw new InvalidConfigException("an answer needs a request, a status and a payload");
    }
    if ((status == ReplyStatus.FAILED) != (reason != null)) {
      throw new InvalidConfigException("a FAILED answer, and only that, carries a reason");
    }
  }

  /** A reply. */
  public static Answer ok(RequestRef request, Address from, byte[] payload) {
    return new Answer(request, from, ReplyStatus.OK, payload, null);
  }

  /** A failed turn, with its reason and what happened. */
  public static Answer failed(
      RequestRef request, Address from, FailureReason reason, String message) {
    return new Answer(
        request,
        from,
        ReplyStatus.FAILED,
        message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        reason);
  }
}
