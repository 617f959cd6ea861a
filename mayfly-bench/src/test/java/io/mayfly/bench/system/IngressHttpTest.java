package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.http.MayflyHttpServer;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Checkout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asks the HTTP benchmark sends are the ones Mayfly and the echo peer answer. */
class IngressHttpTest {
  private static final Path ROOT = Checkout.root();

  private final HttpClient client = HttpClient.newHttpClient();
  private Mayfly node;
  private MayflyHttpServer server;

  @BeforeEach
  void start() throws Exception {
    node = Mayfly.builder().build();
    node.deploy(IngressHttpBench.TYPE, IngressHttpBench.counterModule(ROOT));
    server = MayflyHttpServer.builder().node(node).port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theScriptsAskIsAnsweredByTheCounterActorWithItsNewCount() throws Exception {
    for (int expected = 1; expected <= 2; expected++) {
      HttpResponse<byte[]> response = ask(server.url(), 17);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(ByteBuffer.wrap(response.body()).order(ByteOrder.LITTLE_ENDIAN).getInt())
          .isEqualTo(expected);
    }
  }

  @Test
  void theEchoPeerAnswersTheSameRequestWithFourBytes() throws Exception {
    try (IngressEcho echo = IngressEcho.start()) {
      HttpResponse<byte[]> response = ask(echo.url(), 17);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).hasSize(4);
    }
  }

  @Test
  void wrkRunsTheScriptAgainstTheNodeWithoutErrorsRoundRobinOverTheActors(@TempDir Path dir)
      throws Exception {
    IngressWrk.Result result =
        IngressWrk.create(dir).run(server.url(), IngressHttpBench.ASKS, 1, 1);

    assertThat(result.errors()).isZero();
    assertThat(result.requests()).isPositive();
    assertThat(node.stats().turns()).isGreaterThanOrEqualTo(result.requests());
    int actors = IngressHttpBench.ASKS.actors();
    assertThat(node.actors(IngressHttpBench.TYPE, 0, 10_000))
        .hasSizeGreaterThanOrEqualTo((int) Math.min(actors, result.requests()))
        .hasSizeLessThanOrEqualTo(actors);
  }

  private HttpResponse<byte[]> ask(String baseUrl, int actor) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + IngressHttpBench.ASKS.path(actor)))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofString(IngressHttpBench.ASKS.body()))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
