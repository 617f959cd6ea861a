package io.mayfly.runtime;

import java.util.List;
import java.util.Optional;

/**
 * A node's tracing: on when {@link Mayfly.Builder#tracing(boolean)} or a {@linkplain
 * Mayfly.Builder#spanSink span sink} is set. Every turn is then a span, and the node keeps its
 * recent traces in a ring bounded in traces and bytes ({@link Mayfly.Builder#keptTraces}, {@link
 * Mayfly.Builder#keptTraceBytes}), whether or not a sink exports them. Ingress adapters open a span
 * for each request with {@link #startSpan} and finish it with {@link #record}.
 */
public interface Tracing {
  /** Whether the node traces. When not, every other method does nothing and returns nothing. */
  boolean enabled();

  /**
   * The context of a new span at the node's edge: a child of {@code parent} (a context received
   * with the request), or the first span of a new trace when {@code parent} is {@code null}; {@code
   * null} while tracing is off.
   */
  TraceContext startSpan(TraceContext parent);

  /** Records a finished span (kept, and exported if a sink is set) when its trace is sampled. */
  void record(Span span);

  /** The most recent traces kept, newest first, at most {@code limit}. */
  List<TraceSummary> recent(int limit);

  /** The spans kept of one trace, in the order they ended; empty if it is not kept. */
  Optional<List<Span>> trace(String traceId);
}
