package io.mayfly.runtime;

import java.util.Map;

/**
 * A finished span: one turn of an actor, or one request at the node's edge (an HTTP request, an
 * MQTT message). A turn's span is the child of the span that sent its message.
 *
 * @param traceId the trace (32 hex digits)
 * @param spanId this span (16 hex digits)
 * @param parentSpanId the span that caused it, or {@code null} for the root of a trace
 * @param name what it was, such as {@code "ask order"} or {@code "POST /v1/actors/{type}/{id}/ask"}
 * @param actor the actor whose turn it was, or {@code null} for a span at the edge
 * @param kind its role, as OpenTelemetry names it
 * @param startEpochNanos when it started, in nanoseconds since the epoch on the node clock
 * @param durationNanos how long it took
 * @param error whether it failed (a turn rolled back, a request answered with an error)
 * @param statusMessage why it failed, or {@code null}
 * @param attributes what else is known, such as {@code mayfly.message.kind}
 */
public record Span(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    Address actor,
    Kind kind,
    long startEpochNanos,
    long durationNanos,
    boolean error,
    String statusMessage,
    Map<String, String> attributes) {

  /** A span's role, as OpenTelemetry names it. */
  public enum Kind {
    /** Handles a request and answers it: an ask's turn, an HTTP request. */
    SERVER,
    /**
     * Handles a message nobody waits for: a tell's, a publication's, a timer's or a reply's turn.
     */
    CONSUMER,
    /** Anything else. */
    INTERNAL
  }

  public Span {
    if (traceId == null || spanId == null || name == null || kind == null) {
      throw new InvalidTraceContextException(
          "a span needs a trace id, a span id, a name and a kind");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** The span's context, as the parent of what it sent. */
  public TraceContext context() {
    return new TraceContext(traceId, spanId, true, null);
  }
}
