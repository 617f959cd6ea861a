package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens: 401 without a valid one, 403 for a client token on admin routes. */
class SecurityTest {
  private static final String ADMIN = "admin-secret";
  private static final String CLIENT = "client-secret";

  private MayflyHttpServer server;
  private TestClient anonymous;
  private TestClient admin;
  private TestClient client;

  @BeforeEach
  void start() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server =
        MayflyHttpServer.builder()
            .node(Mayfly.builder().workers(1).meterRegistry(registry).build())
            .port(0)
            .adminToken(ADMIN)
            .clientTokens(List.of("other-client", CLIENT))
            .metrics(registry)
            .build()
            .start();
    anonymous = new TestClient(server.url(), null);
    admin = anonymous.withToken(ADMIN);
    client = anonymous.withToken(CLIENT);
    assertThat(admin.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static void assertStatus(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(json(r).path("error").asText()).isEqualTo(code);
  }

  @Test
  void missingTokenIs401OnEveryProtectedRoute() {
    assertStatus(anonymous.put("/v1/types/x", guest("probe")), 401, "unauthorized");
    assertStatus(anonymous.get("/v1/types"), 401, "unauthorized");
    assertStatus(anonymous.post("/v1/actors/probe/a", "m"), 401, "unauthorized");
    assertStatus(anonymous.post("/v1/actors/probe/a/ask", "m"), 401, "unauthorized");
    assertStatus(anonymous.post("/v1/topics/t", "m"), 401, "unauthorized");
    assertStatus(anonymous.get("/v1/topics/t/events"), 401, "unauthorized");
    assertStatus(anonymous.get("/metrics"), 401, "unauthorized");
    assertStatus(anonymous.put("/v1/shared/k", new byte[] {1}), 401, "unauthorized");
    assertStatus(anonymous.delete("/v1/shared/k"), 401, "unauthorized");
  }

  @Test
  void wrongTokenIs401() {
    assertStatus(client.withToken("guess").post("/v1/actors/probe/a", "m"), 401, "unauthorized");
    var notBearer =
        anonymous.send(
            anonymous.request("/v1/types").header("Authorization", "Basic YTpi").GET().build());
    assertStatus(notBearer, 401, "unauthorized");
  }

  @Test
  void clientTokenOnAdminRoutesIs403() {
    assertStatus(client.put("/v1/types/x", guest("probe")), 403, "forbidden");
    assertStatus(client.delete("/v1/types/probe"), 403, "forbidden");
    assertStatus(client.get("/v1/types"), 403, "forbidden");
    assertStatus(client.get("/v1/actors/probe"), 403, "forbidden");
    assertStatus(client.get("/v1/actors/probe/a/state"), 403, "forbidden");
    assertStatus(client.get("/metrics"), 403, "forbidden");
    assertStatus(client.put("/v1/shared/k", new byte[] {1}), 403, "forbidden");
    assertStatus(client.delete("/v1/shared/k"), 403, "forbidden");
  }

  @Test
  void clientTokenMaySendAskPublishAndListen() {
    assertThat(client.post("/v1/actors/probe/a", "put:k=v").statusCode()).isEqualTo(202);
    var ask = client.post("/v1/actors/probe/b/ask", "put:k=v;get:k");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(text(ask)).isEqualTo("0,v");
    assertThat(client.post("/v1/topics/t", "m").statusCode()).isEqualTo(202);
    try (var events = new SseReader(client, "/v1/topics/t/events")) {
      assertThat(events.status()).isEqualTo(200);
    }
  }

  @Test
  void adminTokenOpensEveryRoute() {
    assertThat(admin.get("/v1/types").statusCode()).isEqualTo(200);
    assertThat(admin.post("/v1/actors/probe/a/ask", "put:k=v").statusCode()).isEqualTo(200);
    assertThat(admin.get("/v1/actors/probe/a/state").statusCode()).isEqualTo(200);
    assertThat(admin.put("/v1/shared/k", new byte[] {1}).statusCode()).isEqualTo(204);
    assertThat(admin.delete("/v1/shared/k").statusCode()).isEqualTo(204);
    assertThat(admin.get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void healthStaysOpen() {
    assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void nonLoopbackWithoutTokensRefusesToStart() {
    Mayfly node = Mayfly.builder().workers(1).build();
    try {
      assertThatThrownBy(() -> MayflyHttpServer.builder().node(node).host("0.0.0.0").build())
          .isInstanceOf(InsecureBindingException.class)
          .hasMessageContaining("0.0.0.0")
          .hasMessageContaining("token")
          .hasMessageContaining("insecure");
      try (var tokens =
          MayflyHttpServer.builder()
              .node(node)
              .host("0.0.0.0")
              .port(0)
              .adminToken(ADMIN)
              .build()
              .start()) {
        assertThat(tokens.port()).isPositive();
      }
    } finally {
      node.close();
    }
  }

  @Test
  void nonLoopbackWithoutTokensStartsWhenInsecureIsExplicit() {
    try (var insecure =
        MayflyHttpServer.builder()
            .node(Mayfly.builder().workers(1).build())
            .host("0.0.0.0")
            .port(0)
            .insecure(true)
            .build()
            .start()) {
      assertThat(
              new TestClient("http://127.0.0.1:" + insecure.port(), null)
                  .get("/v1/types")
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void portInUseIsAConfigErrorNamingTheAddress() {
    Mayfly node = Mayfly.builder().workers(1).build();
    var second = MayflyHttpServer.builder().node(node).port(server.port()).build();
    assertThatThrownBy(second::start)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("127.0.0.1:" + server.port());
    second.close();
  }

  @Test
  void badBuilderValuesAreNamed() {
    Mayfly node = Mayfly.builder().workers(1).build();
    try {
      assertThatThrownBy(() -> MayflyHttpServer.builder().build())
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("node");
      assertThatThrownBy(() -> MayflyHttpServer.builder().node(node).port(70000).build())
          .hasMessageContaining("port");
      assertThatThrownBy(() -> MayflyHttpServer.builder().node(node).maxBodyBytes(0).build())
          .hasMessageContaining("maxBodyBytes");
      assertThatThrownBy(
              () ->
                  MayflyHttpServer.builder()
                      .node(node)
                      .adminToken("same")
                      .clientTokens(List.of("same"))
                      .build())
          .hasMessageContaining("client token");
    } finally {
      node.close();
    }
  }
}
