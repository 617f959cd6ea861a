package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mayfly run} as a real process receiving SIGTERM, as a supervisor stops it: new requests
 * get 503, a request in flight gets its answer, and only then does the process stop listening.
 */
class RunShutdownIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void sigtermAnswers503ToNewRequestsAndTheAskInFlightBeforeStopping() throws Exception {
    var builder =
        new ProcessBuilder(
                "./mayfly",
                "run",
                "--http",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--drain-timeout",
                "20s")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().put("MAYFLY_SKIP_BUILD", "1");
    builder.environment().put("MAYFLY_JAVA_OPTS", "-Xmx1g");
    Process node = builder.start();
    var lines = new LinkedBlockingQueue<String>();
    var output = new StringBuilder();
    CompletableFuture<Void> read =
        Processes.readLines(
            node,
            line -> {
              synchronized (output) {
                output.append(line).append('\n');
              }
              lines.add(line);
            });
    try {
      String url = awaitUrl(lines);
      var deploy =
          send(
              HttpRequest.newBuilder(URI.create(url + "/v1/types/probe?turnTimeout=3s"))
                  .PUT(BodyPublishers.ofByteArray(Files.readAllBytes(ClientVerbsTest.PROBE)))
                  .build());
      assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);

      // The only worker runs a turn that loops until its 3 s deadline; an ask queues behind it.
      assertThat(post(url + "/v1/actors/probe/busy", "loop").statusCode()).isEqualTo(202);
      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(url + "/v1/actors/probe/late/ask?timeout=30s"))
                  .POST(BodyPublishers.ofString("put:k=v;get:k"))
                  .build(),
              BodyHandlers.ofString());

      // The ask must be in flight (queued behind the loop) before the signal, not merely sent.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  send(get(url + "/metrics"))
                      .body()
                      .lines()
                      .anyMatch(l -> l.startsWith("mayfly_asks_pending ") && !l.endsWith(" 0.0")));

      // SIGTERM, through the handle: Process.destroy() would also close our end of its output.
      node.toHandle().destroy();

      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(() -> send(get(url + "/health")).statusCode() == 503);
      var refused = post(url + "/v1/actors/probe/other", "put:k=v");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("\"error\":\"node_closed\"");

      HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      assertThat(answered.body()).endsWith("v");

      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("the node stops").isTrue();
      // The output ends with the process (reading may fail then too); at most 10 s more.
      read.exceptionally(ended -> null).completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
      synchronized (output) {
        assertThat(output).contains("stopped");
      }
    } finally {
      node.destroyForcibly();
    }
  }

  @Test
  void theLauncherMakesTheJvmExitOnOutOfMemory() throws Exception {
    var run =
        Processes.run(
            ROOT,
            java.util.Map.of("MAYFLY_SKIP_BUILD", "1", "MAYFLY_JAVA_OPTS", "-XX:+PrintFlagsFinal"),
            60,
            List.of("./mayfly", "--help"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("bool ExitOnOutOfMemoryError\\s+= true");
  }

  private static String awaitUrl(LinkedBlockingQueue<String> lines) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        Matcher m = URL.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw new AssertionError("mayfly run did not print its URL within 60 s");
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).build();
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url)).POST(BodyPublishers.ofString(body)).build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }
}
