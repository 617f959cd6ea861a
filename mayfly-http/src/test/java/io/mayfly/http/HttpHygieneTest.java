package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mayfly.runtime.Mayfly;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the server does with clients that misbehave: too slow, too many, malformed, gone mid-way.
 */
class HttpHygieneTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private MayflyHttpServer server;
  private TestClient http;

  private void start(Consumer<MayflyHttpServer.Builder> settings) {
    Mayfly node = Mayfly.builder().workers(2).meterRegistry(registry).build();
    var b = MayflyHttpServer.builder().node(node).port(0).metrics(registry);
    settings.accept(b);
    server = b.build().start();
    http = new TestClient(server.url(), null);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private double count(String name, String reason) {
    Counter c = registry.find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aClientSendingItsHeadersAByteAtATimeIsCutOffAfterTheReadTimeout() {
    start(b -> b.readTimeout(Duration.ofMillis(500)));
    long started = System.nanoTime();

    awaitCutOff("GET /health HTTP/1.1\r\nHost: x\r\n", 'x');

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(500));
    assertThat(count(HttpMetrics.CONNECTIONS_CLOSED, "read_timeout")).isEqualTo(1);
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientSendingItsRequestLineAByteAtATimeIsCutOffAfterTheIdleTimeout() {
    start(b -> b.idleTimeout(Duration.ofMillis(500)));

    awaitCutOff("", 'G');

    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  /** Sends the start, then a byte every 100 ms, until the server closes the connection. */
  private void awaitCutOff(String start, char drip) {
    ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
    try (var slow = new RawHttp(server.port())) {
      slow.write(start);
      dripper.scheduleAtFixedRate(() -> slow.tryWrite(drip), 0, 100, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(10)).until(slow::closedByServer);
    } finally {
      dripper.shutdownNow();
    }
  }

  @Test
  void aConnectionWithoutRequestsIsClosedAfterTheIdleTimeout() {
    start(b -> b.idleTimeout(Duration.ofMillis(300)));
    try (var idle = new RawHttp(server.port())) {
      idle.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(idle.read().status()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(idle::closedByServer);
    }
  }

  @Test
  void connectionsBeyondTheLimitWaitUntilOneCloses() {
    start(b -> b.maxConnections(2));
    try (var first = new RawHttp(server.port());
        var second = new RawHttp(server.port());
        var third = new RawHttp(server.port())) {
      for (RawHttp c : List.of(first, second)) {
        c.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
      }

      third.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(third.silentFor(500)).as("not served while two connections are open").isTrue();

      first.disconnect();
      assertThat(third.read().status()).isEqualTo(200);
    }
  }

  @Test
  void requestsRefusedBeforeRoutingGetTheJsonErrorBody() throws Exception {
    start(b -> b.readTimeout(Duration.ofMillis(200)));
    record Case(String request, int status, String code, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                400,
                "bad_request",
                "Header size exceeded"),
            new Case(
                "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                414,
                "uri_too_long",
                "URI too long"),
            new Case(
                "POST /v1/actors/probe/a HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
                400,
                "bad_request",
                "Content length is not a number"),
            new Case("NOT HTTP AT ALL\r\n\r\n", 400, "bad_request", "malformed request"));
    for (Case c : cases) {
      try (var raw = new RawHttp(server.port())) {
        RawHttp.Response r = raw.write(c.request()).read();

        assertThat(r.status()).as(c.code()).isEqualTo(c.status());
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo(c.code());
        assertThat(body.path("message").asText()).contains(c.message());
      }
    }
    assertThat(count(HttpMetrics.REJECTED, "bad_request")).isEqualTo(3);
    assertThat(count(HttpMetrics.REJECTED, "uri_too_long")).isEqualTo(1);
    // Answered, so not slow: none of them is later taken for a client past the read timeout.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> count(HttpMetrics.CONNECTIONS_CLOSED, "read_timeout") == 0);
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientGoingAwayMidBodyIsOneLogLine() {
    start(b -> {});
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
    var records = new CopyOnWriteArrayList<LogRecord>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      try (var raw = new RawHttp(server.port())) {
        raw.write(
            "POST /v1/actors/probe/a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789");
      }

      await().until(() -> count(HttpMetrics.CLIENT_DISCONNECTS, "mid_body") == 1);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  records.stream().noneMatch(r -> r.getLevel().intValue() > Level.INFO.intValue()));
      List<LogRecord> lines =
          records.stream().filter(r -> r.getMessage().contains("went away")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.getFirst().getThrown()).isNull();
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
    } finally {
      root.removeHandler(capture);
    }
  }

  @Test
  void anAskTimeoutTooLongForTheClockIs400NamingTheParameter() {
    start(b -> {});
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);

    var r = http.post("/v1/actors/probe/a/ask?timeout=999999999d", "get:k");

    assertThat(r.statusCode()).as(text(r)).isEqualTo(400);
    assertThat(json(r).path("error").asText()).isEqualTo("invalid_config");
    assertThat(json(r).path("message").asText()).contains("timeout").contains("too long");
  }
}
