package io.mayfly.bench.system;

import io.mayfly.bench.suite.Drain;
import io.mayfly.bench.suite.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mayfly run} node in a process of its own, started the way the launchers start it:
 * the suite's {@code java}, the launcher's JVM options, and the CLI's jar with its dependencies
 * ({@code mayfly-cli/target/mayfly-cli-*.jar} and {@code mayfly-cli/target/lib/*}, as {@code
 * ./mayfly} runs it; the distribution's {@code lib/} holds the same jars). It listens on a free
 * loopback port and prints {@value #LISTENING}URL once it serves; deploys and asks go through its
 * HTTP API (docs/http-api.md).
 */
final class CliNode implements AutoCloseable {
  /** What {@code mayfly run} prints once its HTTP API listens, followed by its URL. */
  static final String LISTENING = "Mayfly node listening on ";

  /** How long a stopping node may take: a training run writes its AOT cache on the way out. */
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

  /** A line of the node's standard output, or its end. */
  private record Line(String text) {
    static final Line END = new Line(null);
  }

  private final Process process;
  private final long startNanos;
  private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
  private final Drain stderr;
  private final List<String> command;
  private long listeningNanos;
  private String url;

  private CliNode(List<String> command) throws IOException {
    this.command = command;
    this.startNanos = System.nanoTime();
    this.process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    this.stderr = Drain.start(process.getErrorStream(), "mayfly-run-stderr");
    Thread.ofVirtual().name("mayfly-run-stdout").start(this::readLines);
  }

  /**
   * Starts a node and returns once it prints that it listens.
   *
   * @param jvmOptions the launcher's options, and any of the measurement's
   * @throws IllegalStateException if there is no CLI build, or the node exits or stays silent
   */
  static CliNode start(Path root, List<String> jvmOptions, Duration timeout) {
    var command = new ArrayList<String>();
    command.add(Processes.javaExecutable().toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath(root));
    command.addAll(List.of("io.mayfly.cli.Main", "run", "--http", "127.0.0.1:0"));
    CliNode node;
    try {
      node = new CliNode(List.copyOf(command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    try {
      node.awaitListening(timeout);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /**
   * The CLI's class path as {@code ./mayfly} builds it: the newest {@code mayfly-cli-*.jar} (not
   * sources, javadoc or tests) and {@code lib/*}.
   */
  static String classPath(Path root) {
    Path target = root.resolve("mayfly-cli/target");
    Path newest = null;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "mayfly-cli-*.jar")) {
      for (Path jar : jars) {
        String name = jar.getFileName().toString();
        if (name.endsWith("-sources.jar")
            || name.endsWith("-javadoc.jar")
            || name.endsWith("-tests.jar")) {
          continue;
        }
        if (newest == null
            || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(newest)) > 0) {
          newest = jar;
        }
      }
    } catch (IOException e) {
      newest = null;
    }
    if (newest == null || !Files.isDirectory(target.resolve("lib"))) {
      throw new IllegalStateException(
          "no build of the CLI in "
              + target
              + ": run scripts/bench (it builds it) or ./mvnw -q -B package -DskipTests -pl"
              + " mayfly-cli -am");
    }
    return newest + ":" + target.resolve("lib") + "/*";
  }

  private void readLines() {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(new Line(line));
      }
    } catch (IOException e) {
      // The process was killed: the end of its output.
    }
    lines.add(Line.END);
  }

  private void awaitListening(Duration timeout) {
    long deadline = startNanos + timeout.toNanos();
    var seen = new StringBuilder();
    try {
      for (; ; ) {
        Line line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line != null && line.text() != null && line.text().startsWith(LISTENING)) {
          listeningNanos = System.nanoTime();
          url = line.text().substring(LISTENING.length()).strip();
          return;
        }
        if (line == null || line.text() == null) {
          throw new IllegalStateException(
              "mayfly run ("
                  + String.join(" ", command)
                  + (line == null
                      ? ") printed no '" + LISTENING + "URL' line within " + timeout
                      : ") exited before it listened")
                  + "; it printed:\n"
                  + seen
                  + stderr.text());
        }
        seen.append(line.text()).append('\n');
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting mayfly run", e);
    }
  }

  /** {@link System#nanoTime()} just before the process was started. */
  long startNanos() {
    return startNanos;
  }

  /** {@link System#nanoTime()} when its listening line was read. */
  long listeningNanos() {
    return listeningNanos;
  }

  String url() {
    return url;
  }

  /** The node process's resident set size now. */
  long rssBytes() {
    return Processes.rssBytes(process.pid());
  }

  /** Deploys a module with {@code PUT /v1/types/TYPE}; fails unless the node answers 201. */
  void deploy(HttpClient client, String type, byte[] module) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/v1/types/" + type))
            .header("Content-Type", "application/wasm")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(module))
            .build();
    HttpResponse<byte[]> response = send(client, request);
    if (response.statusCode() != 201) {
      throw unexpected("deploy of " + type, response);
    }
  }

  /** Asks an actor with {@code POST /v1/actors/TYPE/ID/ask}; returns the reply's bytes. */
  byte[] ask(HttpClient client, String type, String id, byte[] payload) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/v1/actors/" + type + "/" + id + "/ask"))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
            .build();
    HttpResponse<byte[]> response = send(client, request);
    if (response.statusCode() != 200) {
      throw unexpected("ask of " + type + "/" + id, response);
    }
    return response.body();
  }

  private HttpResponse<byte[]> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(
          request.method() + " " + request.uri() + " failed; the node printed: " + stderr.text(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }

  private static IllegalStateException unexpected(String what, HttpResponse<byte[]> response) {
    return new IllegalStateException(
        "mayfly run answered the "
            + what
            + " with "
            + response.statusCode()
            + ": "
            + new String(response.body(), StandardCharsets.UTF_8));
  }

  /**
   * Stops the node as Ctrl-C does (SIGTERM: it drains and stops) and waits for the process to end,
   * which for an AOT training run includes writing the cache.
   */
  @Override
  public void close() {
    // Not Process.destroy(), which also closes our ends of its pipes: a training run still prints
    // while it writes the cache, and a JVM writing to a closed pipe dies of SIGPIPE.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
