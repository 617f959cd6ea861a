package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probes and the token-free metrics listener. */
class OpsRoutesTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Mayfly node = Mayfly.builder().workers(1).meterRegistry(registry).build();
  private MayflyHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    } else {
      node.close();
    }
  }

  private MayflyHttpServer.Builder builder() {
    return MayflyHttpServer.builder()
        .node(node)
        .port(0)
        .adminToken("adm")
        .clientTokens(List.of("cli"))
        .metrics(registry);
  }

  @Test
  void readinessFollowsEveryCheckAndNamesThem() {
    var connected = new AtomicBoolean(false);
    server =
        builder()
            .readinessCheck("mqtt", connected::get)
            .readinessCheck(
                "flaky",
                () -> {
                  throw new IllegalStateException("broken check");
                })
            .build()
            .start();
    var http = new TestClient(server.url(), null);

    var notReady = http.get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(json(notReady).path("status").asText()).isEqualTo("not_ready");
    assertThat(json(notReady).path("checks").path("node").asBoolean()).isTrue();
    assertThat(json(notReady).path("checks").path("mqtt").asBoolean()).isFalse();
    assertThat(json(notReady).path("checks").path("flaky").asBoolean()).isFalse();

    var live = http.get("/livez");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json(live).path("status").asText()).isEqualTo("live");
  }

  @Test
  void readyWhileEveryCheckPasses() {
    var connected = new AtomicBoolean(true);
    server = builder().readinessCheck("mqtt", connected::get).build().start();
    var http = new TestClient(server.url(), null);
    var ready = http.get("/readyz");
    assertThat(ready.statusCode()).as(text(ready)).isEqualTo(200);
    assertThat(json(ready).path("status").asText()).isEqualTo("ready");

    connected.set(false);
    assertThat(http.get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void theMetricsListenerServesOnlyMetricsAndWithoutAToken() {
    server = builder().metricsPort(0).build().start();
    assertThat(server.metricsPort()).isPositive().isNotEqualTo(server.port());
    var scraper = new TestClient("http://127.0.0.1:" + server.metricsPort(), null);

    var metrics = scraper.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
    assertThat(text(metrics)).contains("mayfly_actors_active");
    var other = scraper.get("/v1/types");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(json(other).path("error").asText()).isEqualTo("not_found");

    var api = new TestClient(server.url(), null);
    assertThat(api.get("/metrics").statusCode()).as("the API still needs the token").isEqualTo(401);
  }

  @Test
  void aMetricsPortInUseIsRefusedNamingIt() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var built = builder().metricsPort(taken.getLocalPort()).build();
      assertThatThrownBy(built::start)
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining(Integer.toString(taken.getLocalPort()));
      server = built;
    }
  }

  @Test
  void withoutAMetricsPortThereIsNoSecondListener() {
    server = builder().build().start();
    assertThat(server.metricsPort()).isEqualTo(-1);
  }

  @Test
  void theBuilderRefusesBadOpsSettingsNamingThem() {
    assertThatThrownBy(() -> MayflyHttpServer.builder().node(node).metricsPort(0).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("metricsPort needs the Prometheus registry");
    assertThatThrownBy(() -> builder().metricsPort(70_000).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> builder().readinessCheck("node", () -> true))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'node' exists already");
    assertThatThrownBy(() -> builder().readinessCheck("Bad Name", () -> true))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Bad Name");
  }
}
