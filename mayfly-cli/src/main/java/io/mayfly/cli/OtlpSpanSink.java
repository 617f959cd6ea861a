package io.mayfly.cli;

import io.mayfly.runtime.Span;
import io.mayfly.runtime.spi.SpanSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Exports a node's spans to an OpenTelemetry collector over OTLP/HTTP (protobuf), with the
 * OpenTelemetry SDK's exporter. A turn hands its span over to a bounded queue and goes on; one
 * thread sends the queue in batches, every second or as soon as a batch is full. When the queue is
 * full (the collector is slow or down) new spans are dropped and counted, never waited for.
 */
final class OtlpSpanSink implements SpanSink {
  private static final System.Logger LOG = System.getLogger(OtlpSpanSink.class.getName());

  static final int QUEUE_SPANS = 8192;
  static final int BATCH_SPANS = 512;
  static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("io.mayfly.runtime")
          .setVersion(Main.projectVersion())
          .build();

  /**
   * Where and as what to export.
   *
   * @param endpoint the collector's OTLP/HTTP traces URL ({@code http://host:4318/v1/traces})
   * @param headers headers of every export request (authentication)
   * @param serviceName the resource's {@code service.name}
   * @param nodeId the resource's {@code service.instance.id}
   */
  record Settings(URI endpoint, Map<String, String> headers, String serviceName, String nodeId) {}

  private final SpanExporter exporter;
  private final Resource resource;
  private final ArrayBlockingQueue<Span> queue = new ArrayBlockingQueue<>(QUEUE_SPANS);
  private final LongAdder exported = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Thread sender;
  private volatile boolean closed;

  private OtlpSpanSink(Settings settings, MeterRegistry registry) {
    OtlpHttpSpanExporterBuilder b =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(EXPORT_TIMEOUT);
    settings.headers().forEach(b::addHeader);
    this.exporter = b.build();
    this.resource =
        Resource.create(
            Attributes.of(
                AttributeKey.stringKey("service.name"),
                settings.serviceName(),
                AttributeKey.stringKey("service.instance.id"),
                settings.nodeId()));
    if (registry != null) {
      counter(registry, "mayfly.otlp.spans.exported", "spans the collector accepted", exported);
      counter(registry, "mayfly.otlp.spans.dropped", "spans dropped on a full queue", dropped);
      counter(registry, "mayfly.otlp.spans.failed", "spans whose export failed", failed);
    }
    this.sender = Thread.ofPlatform().daemon().name("mayfly-otlp-export").unstarted(this::run);
  }

  /** Starts exporting to {@code settings.endpoint()}; counters go to {@code registry} if given. */
  static OtlpSpanSink start(Settings settings, MeterRegistry registry) {
    var sink = new OtlpSpanSink(settings, registry);
    sink.sender.start();
    return sink;
  }

  private static void counter(MeterRegistry r, String name, String description, LongAdder a) {
    FunctionCounter.builder(name, a, LongAdder::sum).description(description).register(r);
  }

  @Override
  public void export(Span span) {
    if (!queue.offer(span)) {
      dropped.increment();
      if (dropped.sum() == 1) {
        LOG.log(
            System.Logger.Level.WARNING,
            "OTLP export queue full ("
                + QUEUE_SPANS
                + " spans): dropping spans until the collector catches up"
                + " (counted in mayfly_otlp_spans_dropped_total)");
      }
    } else if (queue.size() >= BATCH_SPANS) {
      LockSupport.unpark(sender);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(sender);
    try {
      sender.join(EXPORT_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exporter.shutdown().join(EXPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  long exported() {
    return exported.sum();
  }

  long failed() {
    return failed.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  private void run() {
    while (!closed) {
      LockSupport.parkNanos(INTERVAL.toNanos());
      sendQueued();
    }
    sendQueued(); // what was queued before the node closed
  }

  private void sendQueued() {
    var batch = new ArrayList<Span>(BATCH_SPANS);
    while (queue.drainTo(batch, BATCH_SPANS) > 0) {
      List<SpanData> data = new ArrayList<>(batch.size());
      for (Span s : batch) {
        data.add(new Data(s, resource));
      }
      CompletableResultCode result =
          exporter.export(data).join(EXPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (result.isSuccess()) {
        exported.add(batch.size());
      } else {
        failed.add(batch.size());
        LOG.log(
            System.Logger.Level.WARNING,
            "OTLP export of "
                + batch.size()
                + " spans failed"
                + (result.getFailureThrowable() == null
                    ? ""
                    : ": " + result.getFailureThrowable().getMessage()));
      }
      batch.clear();
    }
  }

  /** A finished Mayfly span as the exporter reads it. */
  private record Data(Span span, Resource resource) implements SpanData {
    @Override
    public String getName() {
      return span.name();
    }

    @Override
    public SpanKind getKind() {
      return switch (span.kind()) {
        case SERVER -> SpanKind.SERVER;
        case CONSUMER -> SpanKind.CONSUMER;
        case INTERNAL -> SpanKind.INTERNAL;
      };
    }

    @Override
    public SpanContext getSpanContext() {
      return SpanContext.create(
          span.traceId(), span.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
    }

    @Override
    public SpanContext getParentSpanContext() {
      return span.parentSpanId() == null
          ? SpanContext.getInvalid()
          : SpanContext.createFromRemoteParent(
              span.traceId(),
              span.parentSpanId(),
              TraceFlags.getSampled(),
              TraceState.getDefault());
    }

    @Override
    public StatusData getStatus() {
      return span.error()
          ? StatusData.create(
              io.opentelemetry.api.trace.StatusCode.ERROR,
              span.statusMessage() == null ? "" : span.statusMessage())
          : StatusData.unset();
    }

    @Override
    public long getStartEpochNanos() {
      return span.startEpochNanos();
    }

    @Override
    public Attributes getAttributes() {
      AttributesBuilder b = Attributes.builder();
      span.attributes().forEach(b::put);
      return b.build();
    }

    @Override
    public List<EventData> getEvents() {
      return List.of();
    }

    @Override
    public List<LinkData> getLinks() {
      return List.of();
    }

    @Override
    public long getEndEpochNanos() {
      return span.startEpochNanos() + span.durationNanos();
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public int getTotalRecordedEvents() {
      return 0;
    }

    @Override
    public int getTotalRecordedLinks() {
      return 0;
    }

    @Override
    public int getTotalAttributeCount() {
      return span.attributes().size();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }

    /** Required by the interface; the exporter reads the scope above. */
    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public io.opentelemetry.sdk.common.InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return io.opentelemetry.sdk.common.InstrumentationLibraryInfo.create(
          SCOPE.getName(), SCOPE.getVersion());
    }

    @Override
    public Resource getResource() {
      return resource;
    }
  }
}
