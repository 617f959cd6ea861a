package io.mayfly.runtime;

import io.mayfly.runtime.spi.SpanSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's tracing while it is on: makes each turn a span of its message's trace, keeps recent
 * traces in a {@link TraceRing} and hands spans to the {@link SpanSink}. While tracing is off the
 * node holds no instance of it, and a turn pays one null check.
 */
final class NodeTracing implements Tracing {
  private static final System.Logger LOG = System.getLogger(NodeTracing.class.getName());

  /** The tracing of a node that does not trace. */
  static final Tracing OFF = new Off();

  private final TraceRing ring;
  private final SpanSink sink;
  private final LongAdder exportFailures = new LongAdder();
  private final MayflyClock clock;

  NodeTracing(NodeConfig config) {
    this.ring = new TraceRing(config.keptTraces(), config.keptTraceBytes());
    this.sink = config.spanSink();
    this.clock = config.clock();
    MeterRegistry registry = config.meterRegistry();
    if (registry != null) {
      Gauge.builder("mayfly.traces.kept", ring, TraceRing::size)
          .description("recent traces kept for GET /v1/traces")
          .register(registry);
      Gauge.builder("mayfly.traces.bytes", ring, TraceRing::bytes)
          .description("bytes of the recent traces kept, charged against keptTraceBytes")
          .baseUnit("bytes")
          .register(registry);
      FunctionCounter.builder("mayfly.spans.dropped", ring, TraceRing::droppedSpans)
          .description("spans larger than keptTraceBytes, not kept")
          .register(registry);
      FunctionCounter.builder("mayfly.spans.export.failed", exportFailures, LongAdder::sum)
          .description("spans the span sink refused")
          .register(registry);
    }
  }

  /** The context of a turn of {@code m}: a new span of its trace, or of a new trace. */
  static TraceContext turnContext(Message m) {
    TraceContext parent = m.trace();
    return parent == null ? TraceContext.newTrace() : parent.newSpan();
  }

  /** Records the span of a turn that ran {@code m}, started at {@code startNanos}. */
  void turnEnded(
      TraceContext span,
      Message m,
      long startNanos,
      long durationNanos,
      TurnRecord.Failure failure) {
    if (!span.sampled()) {
      return;
    }
    Span.Kind kind =
        switch (m.kind()) {
          case ASK -> Span.Kind.SERVER;
          case EXPIRE -> Span.Kind.INTERNAL;
          default -> Span.Kind.CONSUMER;
        };
    Map<String, String> attributes = new HashMap<>(8);
    attributes.put("mayfly.actor", m.target().toString());
    attributes.put("mayfly.message.kind", m.kind().name());
    if (m.sender() != null) {
      attributes.put("mayfly.sender", m.sender().toString());
    }
    if (m.topic() != null) {
      attributes.put("mayfly.topic", m.topic());
    }
    if (failure != null) {
      attributes.put("mayfly.failure.reason", failure.reason().code());
    }
    TraceContext parent = m.trace();
    record(
        new Span(
            span.traceId(),
            span.spanId(),
            parent == null ? null : parent.spanId(),
            m.kind().name().toLowerCase(Locale.ROOT) + " " + m.target().type(),
            m.target(),
            kind,
            startNanos,
            durationNanos,
            failure != null,
            failure == null ? null : failure.message(),
            attributes));
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public EdgeSpan openSpan(
      String name, Span.Kind kind, TraceContext parent, Map<String, String> attributes) {
    return new Edge(name, kind, parent, attributes);
  }

  /** A span at the node's edge; its start is read on the node clock, its length on the CPU's. */
  private final class Edge implements EdgeSpan {
    private final String name;
    private final Span.Kind kind;
    private final TraceContext parent;
    private final TraceContext context;
    private final Map<String, String> attributes;
    private final long startEpochNanos = clock.nanoTime();
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();

    Edge(String name, Span.Kind kind, TraceContext parent, Map<String, String> attributes) {
      this.name = name;
      this.kind = kind;
      this.parent = parent;
      this.context = parent == null ? TraceContext.newTrace() : parent.newSpan();
      this.attributes = attributes;
    }

    @Override
    public TraceContext context() {
      return context;
    }

    @Override
    public void end(String error) {
      if (!context.sampled() || !ended.compareAndSet(false, true)) {
        return;
      }
      record(
          new Span(
              context.traceId(),
              context.spanId(),
              parent == null ? null : parent.spanId(),
              name,
              null,
              kind,
              startEpochNanos,
              System.nanoTime() - startNanos,
              error != null,
              error,
              attributes));
    }
  }

  @Override
  public void record(Span span) {
    ring.add(span);
    if (sink != null) {
      try {
        sink.export(span);
      } catch (RuntimeException e) {
        exportFailures.increment();
        LOG.log(System.Logger.Level.WARNING, "the span sink refused a span: " + e, e);
      }
    }
  }

  @Override
  public List<TraceSummary> recent(int limit) {
    return ring.recent(Math.max(0, limit));
  }

  @Override
  public Optional<List<Span>> trace(String traceId) {
    return ring.trace(traceId);
  }

  void close() {
    if (sink != null) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the span sink failed: " + e, e);
      }
    }
  }

  private static final class Off implements Tracing {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public EdgeSpan openSpan(
        String name, Span.Kind kind, TraceContext parent, Map<String, String> attributes) {
      return null;
    }

    @Override
    public void record(Span span) {}

    @Override
    public List<TraceSummary> recent(int limit) {
      return List.of();
    }

    @Override
    public Optional<List<Span>> trace(String traceId) {
      return Optional.empty();
    }
  }
}
