package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/stats}: what the console polls. */
class StatsRouteTest {
  private MayflyHttpServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private TestClient start(Mayfly node) {
    server = MayflyHttpServer.builder().node(node).port(0).build().start();
    var http = new TestClient(server.url(), null);
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
    return http;
  }

  @Test
  void statsCountTurnsFailuresActorsAndLatencyPerType() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TestClient http = start(Mayfly.builder().workers(2).meterRegistry(registry).build());
    assertThat(http.post("/v1/actors/probe/a/ask", "put:k=v").statusCode()).isEqualTo(200);
    assertThat(http.post("/v1/actors/probe/b/ask", "put:k=w").statusCode()).isEqualTo(200);
    assertThat(http.post("/v1/actors/probe/a/ask", "trap").statusCode()).isEqualTo(422);

    // A turn is counted and timed on its worker right after its reply left.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> json(http.get("/v1/stats")).path("latency").path("count").asLong() == 3);
    JsonNode stats = json(http.get("/v1/stats"));
    assertThat(stats.path("node").path("turns").asLong()).isEqualTo(3);
    assertThat(stats.path("node").path("storedActors").asLong()).isEqualTo(2);
    JsonNode probe = stats.path("types").get(0);
    assertThat(probe.path("type").asText()).isEqualTo("probe");
    assertThat(probe.path("version").asInt()).isEqualTo(1);
    assertThat(probe.path("turns").asLong()).isEqualTo(3);
    assertThat(probe.path("failed").path("guest_trap").asLong()).isEqualTo(1);
    assertThat(probe.path("failed").path("turn_timeout").asLong()).isZero();
    assertThat(probe.path("storedActors").asLong()).isEqualTo(2);
    assertThat(probe.path("stateBytes").asLong())
        .isPositive()
        .isEqualTo(stats.path("node").path("stateBytes").asLong());

    JsonNode latency = stats.path("latency");
    assertThat(latency.path("count").asLong()).isEqualTo(3);
    assertThat(latency.path("sumSeconds").asDouble()).isPositive();
    JsonNode buckets = latency.path("buckets");
    assertThat(buckets.size()).isGreaterThan(1);
    // Cumulative: each bound counts at least what the one below it counts, the last all turns.
    long previous = 0;
    double bound = 0;
    for (JsonNode b : buckets) {
      assertThat(b.get(0).asDouble()).isGreaterThan(bound);
      assertThat(b.get(1).asLong()).isGreaterThanOrEqualTo(previous);
      bound = b.get(0).asDouble();
      previous = b.get(1).asLong();
    }
    assertThat(previous).isEqualTo(3);
  }

  @Test
  void aNodeWithoutARegistryHasNoLatency() {
    TestClient http = start(Mayfly.builder().workers(1).build());
    JsonNode stats = json(http.get("/v1/stats"));
    assertThat(stats.path("latency").isNull()).isTrue();
    assertThat(stats.path("types").get(0).path("turns").asLong()).isZero();
  }
}
