package io.mayfly.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's tracing: on when {@link Mayfly.Builder#tracing(boolean)} or a {@linkplain
 * Mayfly.Builder#spanSink span sink} is set. Every turn is then a span, and the node keeps its
 * recent traces in a ring bounded in traces and bytes ({@link Mayfly.Builder#keptTraces}, {@link
 * Mayfly.Builder#keptTraceBytes}), whether or not a sink exports them. Ingress adapters open a span
 * for each request they hand to the node with {@link #openSpan} and end it when it is done.
 */
public interface Tracing {
  /** Whether the node traces. When not, every other method does nothing and returns nothing. */
  boolean enabled();

  /**
   * Opens a span at the node's edge (an HTTP request, an MQTT message), starting now: a child of
   * {@code parent} (the context that came with the request), or the first span of a new trace when
   * {@code parent} is {@code null}. Returns {@code null} while tracing is off.
   *
   * @param name what it is, such as {@code "POST /v1/actors/{type}/{id}/ask"}
   * @param kind its role
   * @param attributes what else is known
   */
  EdgeSpan openSpan(
      String name, Span.Kind kind, TraceContext parent, Map<String, String> attributes);

  /** A span at the node's edge, open until {@link #end}. */
  interface EdgeSpan {
    /** The span's context: what the request sends into the actor system carries it. */
    TraceContext context();

    /** Ends the span (once); {@code error} is why the request failed, or {@code null}. */
    void end(String error);
  }

  /** Records a finished span (kept, and exported if a sink is set) when its trace is sampled. */
  void record(Span span);

  /** The most recent traces kept, newest first, at most {@code limit}. */
  List<TraceSummary> recent(int limit);

  /** The spans kept of one trace, in the order they ended; empty if it is not kept. */
  Optional<List<Span>> trace(String traceId);
}
