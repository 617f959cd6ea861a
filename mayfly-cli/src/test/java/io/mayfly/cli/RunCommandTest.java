package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly run} in this JVM: it serves, answers the client verbs, and stops gracefully. */
class RunCommandTest {
  private final InProcessRun node = new InProcessRun();

  @Test
  void runServesTheApiUntilStoppedThenShutsDownGracefully() throws Exception {
    CompletableFuture<Integer> running =
        node.start(Map.of(), "run", "--http", "127.0.0.1:0", "--admin-token", "adm");
    String url = node.awaitUrl(running);

    var health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy", "probe", ClientVerbsTest.PROBE.toString(), "--url", url, "--token", "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    var ask =
        ClientVerbsTest.mayfly("ask", "probe/x", "put:k=v;get:k", "--url", url, "--token", "adm");
    assertThat(ask.out().strip()).isEqualTo("0,v");

    node.stop();

    assertThat(running.join()).as(node.err()).isZero();
    assertThat(node.out()).contains("stopped");
    assertThat(ClientVerbsTest.mayfly("types", "--url", url).exitCode())
        .isEqualTo(ExitCodes.CANNOT_CONNECT);
  }

  @Test
  void settingsComeFromFileEnvironmentAndFlagsInThatOrder(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(
        config,
        "http=127.0.0.1:1\nadmin-token=from-file\nclient-tokens=c1,c2\nworkers=1\n"
            + "worker-spin=0us\n");
    CompletableFuture<Integer> running =
        node.start(
            Map.of("MAYFLY_CONFIG", config.toString(), "MAYFLY_ADMIN_TOKEN", "from-env"),
            "run",
            "--http",
            "127.0.0.1:0");
    String url = node.awaitUrl(running);
    try {
      // The flag beat the file's port; the environment beat the file's admin token.
      assertThat(ClientVerbsTest.mayfly("types", "--url", url, "--token", "from-env").exitCode())
          .isZero();
      assertThat(ClientVerbsTest.mayfly("types", "--url", url, "--token", "from-file").exitCode())
          .isEqualTo(ExitCodes.NODE_ERROR);
      var client = ClientVerbsTest.mayfly("types", "--url", url, "--token", "c2");
      assertThat(client.err()).contains("forbidden");
    } finally {
      node.stop();
      running.join();
    }
  }

  @Test
  void nonLoopbackWithoutTokensRefusesToStart() {
    int code = node.start(Map.of(), "run", "--http", "0.0.0.0:0").join();
    assertThat(code).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(node.err()).contains("refusing to listen on 0.0.0.0").contains("insecure");
  }

  @Test
  void badSettingIsAUsageErrorNamingItsSource() {
    int code = node.start(Map.of("MAYFLY_WORKERS", "many"), "run", "--http", "127.0.0.1:0").join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("workers").contains("MAYFLY_WORKERS");
  }

  @Test
  void aWorkerSpinOutOfRangeIsAUsageErrorNamingIt() {
    int code = node.start(Map.of(), "run", "--http", "127.0.0.1:0", "--worker-spin", "50ms").join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("workerSpin must be between 0 and 10ms");
  }

  @Test
  void httpLimitsAreSettingsCheckedLikeTheOthers() {
    int code =
        node.start(Map.of("MAYFLY_HTTP_READ_TIMEOUT", "soon"), "run", "--http", "127.0.0.1:0")
            .join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("http-read-timeout").contains("MAYFLY_HTTP_READ_TIMEOUT");

    var other = new InProcessRun();
    code =
        other.start(Map.of(), "run", "--http", "127.0.0.1:0", "--http-max-connections", "0").join();
    assertThat(code).isNotZero();
    assertThat(other.err()).contains("maxConnections must be positive");
  }

  @Test
  void unknownConfigKeyIsAUsageError(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(config, "wrokers=2\n");
    int code = node.start(Map.of(), "run", "--config", config.toString()).join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("unknown key 'wrokers'");
  }
}
