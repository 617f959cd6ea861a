package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code mayfly run} in this JVM, in the background, with its output captured. */
final class InProcessRun {
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final RunCommand run = new RunCommand();

  /** Runs {@code mayfly ARGS} with this instance's run command and environment. */
  CompletableFuture<Integer> start(Map<String, String> env, String... args) {
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
    // A thread of its own: the common pool may have a single thread, which one run would keep.
    return CompletableFuture.supplyAsync(
        () ->
            Main.commandLine(factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args),
        task -> Thread.ofPlatform().name("mayfly-run").start(task));
  }

  /** Waits until the node prints the URL it listens on, and returns it. */
  String awaitUrl(CompletableFuture<Integer> running) {
    // A node starting in a JVM shared with other tests, on a busy machine, may take a while.
    await()
        .atMost(Duration.ofSeconds(30))
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

  /** Stops the running node as Ctrl-C would. */
  void stop() {
    run.stop();
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
