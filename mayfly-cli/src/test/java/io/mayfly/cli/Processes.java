package io.mayfly.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a program to its end for the integration tests, with a bound on how long it may take. */
final class Processes {
  /** How a program ended and what it printed (stdout and stderr together). */
  record Result(int exitCode, String output) {}

  private Processes() {}

  static Result run(Path dir, Map<String, String> env, long timeoutSeconds, List<String> command)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(cannot read the output: " + e.getMessage() + ")";
              }
            });
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          command + " did not finish within " + timeoutSeconds + " s: " + output.join());
    }
    return new Result(p.exitValue(), output.join());
  }

  /**
   * Hands each line {@code p} prints to {@code each}, on a daemon thread, until the output ends;
   * the future completes then (exceptionally when reading failed).
   */
  static CompletableFuture<Void> readLines(Process p, Consumer<String> each) {
    var ended = new CompletableFuture<Void>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  each.accept(line);
                }
                ended.complete(null);
              } catch (IOException e) {
                ended.completeExceptionally(e);
              }
            });
    return ended;
  }
}
