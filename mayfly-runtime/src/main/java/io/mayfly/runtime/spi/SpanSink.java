package io.mayfly.runtime.spi;

import io.mayfly.runtime.Span;

/**
 * Where a node sends its finished spans while tracing is on, besides the ring of recent traces it
 * keeps itself; an exporter to OpenTelemetry implements it. Called on the thread that ended the
 * span (a CPU worker for a turn): hand the span over quickly, never block or do I/O there.
 */
public interface SpanSink {
  /** Takes a finished span. An exception is logged and counted, and the span is lost. */
  void export(Span span);

  /** Flushes what is pending and stops; called once when the node closes. */
  default void close() {}
}
