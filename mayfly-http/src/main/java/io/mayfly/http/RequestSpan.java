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
import java.util.function.Function;

/**
 * The span of a request that sends into the actor system (tell, ask, publish) while the node
 * traces: a child of the request's {@code traceparent}, or the first span of a new trace when it
 * has none (or a malformed one, as W3C asks). The response carries its {@code traceparent}.
 */
final class RequestSpan {
  static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
  static final HeaderName TRACESTATE = HeaderNames.create("tracestate");

  private RequestSpan() {}

  /**
   * Runs {@code call} with the context of the request's span, as that span: it ends when the call
   * returns or throws. Call it only while the node traces.
   *
   * @param route the route's template, the span's name with the method
   * @param actor the actor the request is for, or {@code null}
   */
  static <T> T traced(
      Mayfly node,
      ServerRequest req,
      ServerResponse res,
      String route,
      Address actor,
      Function<TraceContext, T> call) {
    Tracing tracing = node.tracing();
    var headers = req.headers();
    TraceContext parent =
        TraceContext.parse(
            headers.first(TRACEPARENT).orElse(null), headers.first(TRACESTATE).orElse(null));
    String method = req.prologue().method().text();
    Map<String, String> attributes =
        actor == null
            ? Map.of("http.request.method", method, "http.route", route)
            : Map.of(
                "http.request.method",
                method,
                "http.route",
                route,
                "mayfly.actor",
                actor.toString());
    Tracing.EdgeSpan span =
        tracing.openSpan(method + " " + route, Span.Kind.SERVER, parent, attributes);
    TraceContext context = span.context();
    res.header(HeaderValues.create(TRACEPARENT, context.traceparent()));
    if (context.traceState() != null) {
      res.header(HeaderValues.create(TRACESTATE, context.traceState()));
    }
    try {
      T result = call.apply(context);
      span.end(null);
      return result;
    } catch (RuntimeException e) {
      span.end(String.valueOf(e.getMessage()));
      throw e;
    }
  }
}
