package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mayfly run} in this JVM: it serves, answers the client verbs, and stops gracefully. */
class RunCommandTest {
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final RunCommand run = new RunCommand();

  /** Runs {@code mayfly ARGS} with {@link #run} as the run command, in the background. */
  private CompletableFuture<Integer> start(Map<String, String> env, String... args) {
    run.env = env;
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            return cls == RunCommand.class
                ? cls.cast(run)
                : CommandLine.defaultFactory().create(cls);
          }
        };
    return CompletableFuture.supplyAsync(
        () ->
            Main.commandLine(factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args));
  }

  private String awaitUrl(CompletableFuture<Integer> running) {
    await()
        .until(
            () -> {
              if (running.isDone()) {
                throw new AssertionError("run ended: " + running.join() + " " + err);
              }
              return URL.matcher(out.toString()).find();
            });
    Matcher m = URL.matcher(out.toString());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void runServesTheApiUntilStoppedThenShutsDownGracefully() throws Exception {
    CompletableFuture<Integer> running =
        start(Map.of(), "run", "--http", "127.0.0.1:0", "--admin-token", "adm");
    String url = awaitUrl(running);

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

    run.stop();

    assertThat(running.join()).as(err.toString()).isZero();
    assertThat(out.toString()).contains("stopped");
    assertThat(ClientVerbsTest.mayfly("types", "--url", url).exitCode())
        .isEqualTo(ExitCodes.CANNOT_CONNECT);
  }

  @Test
  void settingsComeFromFileEnvironmentAndFlagsInThatOrder(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(
        config, "http=127.0.0.1:1\nadmin-token=from-file\nclient-tokens=c1,c2\nworkers=1\n");
    CompletableFuture<Integer> running =
        start(
            Map.of("MAYFLY_CONFIG", config.toString(), "MAYFLY_ADMIN_TOKEN", "from-env"),
            "run",
            "--http",
            "127.0.0.1:0");
    String url = awaitUrl(running);
    try {
      // The flag beat the file's port; the environment beat the file's admin token.
      assertThat(ClientVerbsTest.mayfly("types", "--url", url, "--token", "from-env").exitCode())
          .isZero();
      assertThat(ClientVerbsTest.mayfly("types", "--url", url, "--token", "from-file").exitCode())
          .isEqualTo(ExitCodes.NODE_ERROR);
      var client = ClientVerbsTest.mayfly("types", "--url", url, "--token", "c2");
      assertThat(client.err()).contains("forbidden");
    } finally {
      run.stop();
      running.join();
    }
  }

  @Test
  void nonLoopbackWithoutTokensRefusesToStart() {
    int code = start(Map.of(), "run", "--http", "0.0.0.0:0").join();
    assertThat(code).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(err.toString()).contains("refusing to listen on 0.0.0.0").contains("insecure");
  }

  @Test
  void badSettingIsAUsageErrorNamingItsSource() {
    int code = start(Map.of("MAYFLY_WORKERS", "many"), "run", "--http", "127.0.0.1:0").join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("workers").contains("MAYFLY_WORKERS");
  }

  @Test
  void unknownConfigKeyIsAUsageError(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(config, "wrokers=2\n");
    int code = start(Map.of(), "run", "--config", config.toString()).join();
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("unknown key 'wrokers'");
  }
}
