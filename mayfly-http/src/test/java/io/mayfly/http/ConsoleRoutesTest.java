package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.Mayfly;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's files over a real socket, on a node with tokens. */
class ConsoleRoutesTest {
  private MayflyHttpServer server;
  private TestClient anonymous;

  @BeforeEach
  void start() {
    Mayfly node = Mayfly.builder().workers(1).build();
    server =
        MayflyHttpServer.builder()
            .node(node)
            .port(0)
            .adminToken("adm")
            .clientTokens(List.of("cli"))
            .build()
            .start();
    anonymous = new TestClient(server.url(), null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void thePageLoadsWithoutATokenButItsDataNeedsTheAdminToken() {
    var page = anonymous.get("/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(text(page)).contains("<title>Mayfly console</title>");

    assertThat(anonymous.get("/v1/stats").statusCode()).isEqualTo(401);
    assertThat(anonymous.withToken("cli").get("/v1/stats").statusCode()).isEqualTo(403);
    assertThat(anonymous.withToken("adm").get("/v1/stats").statusCode()).isEqualTo(200);
  }

  @Test
  void everyFileIsServedWithItsTypeAndAPolicyThatAllowsOnlyThisNode() {
    for (String asset : ConsoleRoutes.ASSETS) {
      var r = anonymous.get("/console/" + asset);
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .contains(ConsoleRoutes.CONTENT_SECURITY_POLICY);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.headers().firstValue("Content-Type").orElseThrow())
          .startsWith(
              asset.endsWith(".js")
                  ? "text/javascript"
                  : asset.endsWith(".css") ? "text/css" : "text/html");
    }
    assertThat(ConsoleRoutes.CONTENT_SECURITY_POLICY)
        .contains("default-src 'none'")
        .contains("connect-src 'self'")
        .doesNotContain("unsafe");
  }

  @Test
  void anUnchangedFileIsAnswered304() {
    var first = anonymous.get("/console/console.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    var again =
        anonymous.send(
            anonymous.request("/console/console.js").header("If-None-Match", etag).build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void theBarePathMovesToTheDirectoryAndAnUnknownFileIs404() throws Exception {
    var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    var r = client.send(anonymous.request("/console").build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(r.headers().firstValue("Location")).contains("/console/");

    var missing = anonymous.get("/console/nope.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").asText()).isEqualTo("not_found");
    assertThat(json(missing).path("message").asText()).contains("nope.js");
  }
}
