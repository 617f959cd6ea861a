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
 * @param trace the span of the turn that answered, or {@code null} (tracing off, or no turn)
 */
public record Answer(
    RequestRef request,
    Address from,
    ReplyStatus status,
    byte[] payload,
    FailureReason reason,
    TraceContext trace) {
  public Answer {
    if (request == null || status == null || payload == null) {
      throw new InvalidConfigException("an answer needs a request, a status and a payload");
    }
    if ((status == ReplyStatus.FAILED) != (reason != null)) {
      throw new InvalidConfigException("a FAILED answer, and only that, carries a reason");
    }
  }

  /** An answer outside any trace. */
  public Answer(
      RequestRef request, Address from, ReplyStatus status, byte[] payload, FailureReason reason) {
    this(request, from, status, payload, reason, null);
  }

  /** A reply. */
  public static Answer ok(RequestRef request, Address from, byte[] payload) {
    return new Answer(request, from, ReplyStatus.OK, payload, null);
  }

  /** A reply from the turn of span {@code trace}. */
  public static Answer ok(RequestRef request, Address from, byte[] payload, TraceContext trace) {
    return new Answer(request, from, ReplyStatus.OK, payload, null, trace);
  }

  /** A failed turn, with its reason and what happened. */
  public static Answer failed(
      RequestRef request, Address from, FailureReason reason, String message) {
    return failed(request, from, reason, message, null);
  }

  /** A failed turn of span {@code trace}, with its reason and what happened. */
  public static Answer failed(
      RequestRef request, Address from, FailureReason reason, String message, TraceContext trace) {
    return new Answer(
        request,
        from,
        ReplyStatus.FAILED,
        message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        reason,
        trace);
  }
}
