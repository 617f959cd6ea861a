package io.mayfly.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Span;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Tracing;
import java.util.Map;

/**
 * The span of one request that sends into the actor system (tell, ask, publish) while the node
 * traces: a child of the request's {@code traceparent}, or the first span of a new trace when it
 * has none (or a malformed one, as W3C asks). The response carries its {@code traceparent}.
 */
final class RequestSpan {
  static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
  static final HeaderName TRACESTATE = HeaderNames.create("tracestate");

  private final Tracing tracing;
  private final TraceContext parent;
  private final TraceContext context;
  private final String route;
  private final String method;
  private final long startEpochNanos;
  private final long startNanos;

  private RequestSpan(Mayfly node, TraceContext parent, String method, String route) {
    this.tracing = node.tracing();
    this.parent = parent;
    this.context = tracing.startSpan(parent);
    this.method = method;
    this.route = route;
    this.startEpochNanos = node.config().clock().nanoTime();
    this.startNanos = System.nanoTime();
  }

  /**
   * The span of {@code req}, with its {@code traceparent} set on the response; {@code null} while
   * the node does not trace.
   */
  static RequestSpan start(Mayfly node, ServerRequest req, ServerResponse res, String route) {
    if (!node.tracing().enabled()) {
      return null;
    }
    var headers = req.headers();
    TraceContext parent =
        TraceContext.parse(
            headers.first(TRACEPARENT).orElse(null), headers.first(TRACESTATE).orElse(null));
    var span = new RequestSpan(node, parent, req.prologue().method().text(), route);
    res.header(HeaderValues.create(TRACEPARENT, span.context.traceparent()));
    if (span.context.traceState() != null) {
      res.header(HeaderValues.create(TRACESTATE, span.context.traceState()));
    }
    return span;
  }

  /** The context of what the request sends. */
  TraceContext context() {
    return context;
  }

  /** Ends the span; {@code failure} is why the request failed, or {@code null}. */
  void end(Address actor, RuntimeException failure) {
    if (!context.sampled()) {
      return;
    }
    tracing.record(
        new Span(
            context.traceId(),
            context.spanId(),
            parent == null ? null : parent.spanId(),
            method + " " + route,
            null,
            Span.Kind.SERVER,
            startEpochNanos,
            System.nanoTime() - startNanos,
            failure != null,
            failure == null ? null : failure.getMessage(),
            actor == null
                ? Map.of("http.request.method", method, "http.route", route)
                : Map.of(
                    "http.request.method",
                    method,
                    "http.route",
                    route,
                    "mayfly.actor",
                    actor.toString())));
  }

  /** The context of a request's span, or {@code null} when there is none. */
  static TraceContext contextOf(RequestSpan span) {
    return span == null ? null : span.context;
  }
}
