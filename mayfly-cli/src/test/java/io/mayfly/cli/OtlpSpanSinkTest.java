package io.mayfly.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TraceContext;
import io.mayfly.testing.Checkout;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans exported over OTLP/HTTP to a receiver on a loopback port, decoded with the OTLP protobuf
 * classes.
 */
class OtlpSpanSinkTest {
  private static final TraceContext CALLER =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private HttpServer collector;

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          if (status == 200) {
            received.add(ExportTraceServiceRequest.parseFrom(body));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  private OtlpSpanSink sink() {
    return OtlpSpanSink.start(
        new OtlpSpanSink.Settings(
            URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"),
            Map.of("authorization", "Bearer t"),
            "mayfly-test",
            "node-1"),
        null);
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  @Test
  void aChainOfTurnsArrivesAtTheCollectorAsOneTraceWithItsParentLinks() {
    OtlpSpanSink sink = sink();
    ManualClock clock = ManualClock.create();
    try (Mayfly node = Mayfly.builder().synchronous(true).clock(clock).spanSink(sink).build()) {
      node.deploy("probe", Checkout.guest("probe"));
      node.tell(Address.parse("probe/a"), "send:probe/b=trap".getBytes(UTF_8), CALLER);
    } // closing the node flushes the exporter
    assertThat(sink.exported()).isEqualTo(2);

    assertThat(contentTypes).allMatch(t -> t.startsWith("application/x-protobuf"));
    List<ResourceSpans> resources =
        received.stream().flatMap(r -> r.getResourceSpansList().stream()).toList();
    assertThat(attribute(resources.getFirst().getResource().getAttributesList(), "service.name"))
        .isEqualTo("mayfly-test");
    assertThat(
            attribute(
                resources.getFirst().getResource().getAttributesList(), "service.instance.id"))
        .isEqualTo("node-1");
    List<Span> spans =
        resources.stream()
            .flatMap(r -> r.getScopeSpansList().stream())
            .flatMap(s -> s.getSpansList().stream())
            .toList();
    assertThat(spans).hasSize(2);
    Span a =
        spans.stream()
            .filter(s -> "probe/a".equals(attribute(s.getAttributesList(), "mayfly.actor")))
            .findFirst()
            .orElseThrow();
    Span b =
        spans.stream()
            .filter(s -> "probe/b".equals(attribute(s.getAttributesList(), "mayfly.actor")))
            .findFirst()
            .orElseThrow();
    assertThat(hex(a.getTraceId())).isEqualTo(CALLER.traceId());
    assertThat(hex(b.getTraceId())).isEqualTo(CALLER.traceId());
    assertThat(hex(a.getParentSpanId())).isEqualTo(CALLER.spanId());
    assertThat(hex(b.getParentSpanId())).isEqualTo(hex(a.getSpanId()));
    assertThat(a.getName()).isEqualTo("tell probe");
    assertThat(a.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
    assertThat(a.getStartTimeUnixNano()).isEqualTo(clock.nanoTime());
    assertThat(a.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(b.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(b.getStatus().getMessage()).contains("guest trapped");
    assertThat(attribute(b.getAttributesList(), "mayfly.failure.reason")).isEqualTo("guest_trap");
  }

  @Test
  void aCollectorThatRefusesTheExportIsCountedAsFailed() {
    status = 503;
    OtlpSpanSink sink = sink();
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(ManualClock.create()).spanSink(sink).build()) {
      node.deploy("probe", Checkout.guest("probe"));
      node.tell(Address.parse("probe/a"), "put:k=v".getBytes(UTF_8));
    }
    assertThat(sink.exported()).isZero();
    assertThat(sink.failed()).isEqualTo(1);
    assertThat(contentTypes).isNotEmpty();
  }

  private List<Span> receivedSpans() {
    return received.stream()
        .flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(x -> x.getSpansList().stream())
        .toList();
  }

  private void runAndAsk(Map<String, String> env, String... options) {
    var node = new InProcessRun();
    var args = new java.util.ArrayList<>(List.of("run", "--http", "127.0.0.1:0"));
    args.addAll(List.of(options));
    var running = node.start(env, args.toArray(String[]::new));
    String url = node.awaitUrl(running);
    assertThat(
            ClientVerbsTest.mayfly(
                    "deploy", "probe", ClientVerbsTest.PROBE.toString(), "--url", url)
                .exitCode())
        .isZero();
    assertThat(ClientVerbsTest.mayfly("ask", "probe/x", "put:k=v", "--url", url).exitCode())
        .isZero();
    node.stop();
    assertThat(running.join()).as(node.err()).isZero();
  }

  @Test
  void runWithAnOtlpEndpointExportsEachRequestAndItsTurnsAsOneTrace() {
    runAndAsk(Map.of(), "--otlp-endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());

    List<Span> spans = receivedSpans();
    Span request =
        spans.stream()
            .filter(x -> x.getName().equals("POST /v1/actors/{type}/{id}/ask"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no request span in " + spans));
    Span turn =
        spans.stream()
            .filter(x -> x.getName().equals("ask probe"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no turn span in " + spans));
    assertThat(turn.getTraceId()).isEqualTo(request.getTraceId());
    assertThat(turn.getParentSpanId()).isEqualTo(request.getSpanId());
    assertThat(request.getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void runTakesTheStandardOpenTelemetryEnvironment() {
    runAndAsk(
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://127.0.0.1:" + collector.getAddress().getPort(),
            "OTEL_SERVICE_NAME",
            "edge-7"));
    assertThat(receivedSpans()).isNotEmpty();
    assertThat(
            attribute(
                received.getFirst().getResourceSpans(0).getResource().getAttributesList(),
                "service.name"))
        .isEqualTo("edge-7");
  }

  @Test
  void aMalformedEndpointIsAUsageErrorNamingIt() {
    var r = ClientVerbsTest.mayfly("run", "--http", "127.0.0.1:0", "--otlp-endpoint", "ftp://x");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("otlp-endpoint").contains("ftp://x");
  }
}
