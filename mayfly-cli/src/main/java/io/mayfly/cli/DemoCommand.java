package io.mayfly.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mayfly demo}: the IoT sensor workload on an embedded node, with a live view. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs a live IoT demo: simulated sensors, one Wasm actor each, on an embedded node.",
      "",
      "Each sensor actor (sensor.wasm, examples/sensor-anomaly; ids <site>.<n>, 100 a site)"
          + " keeps a sliding window of its last 32 readings as short-term state, publishes an"
          + " alert to alerts/<site>/<sensor> when a reading lies more than 3 standard deviations"
          + " from the window's mean, and reports it to its site's aggregator (site.wasm)."
          + " The view shows readings sent,"
          + " turns handled, sampled ask latency, actors, state and the latest alerts once a"
          + " second. Stops after --seconds, or on Ctrl-C, then prints a summary."
    },
    usageHelpAutoWidth = true)
final class DemoCommand implements Callable<Integer> {
  private static final String MODULE = "guests/sensor.wasm";
  private static final String SITE_MODULE = "guests/site.wasm";

  /** How long a Ctrl-C waits for the node to drain and the summary to be printed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  @Spec private CommandSpec spec;

  @Mixin private LogOptions logOptions;

  @Option(
      names = "--sensors",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Number of sensor actors (default: ${DEFAULT-VALUE}).")
  private int sensors;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "0",
      description =
          "Readings per second in total; 0 sends as fast as the node handles them"
              + " (default: ${DEFAULT-VALUE}).")
  private long rate;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "Stop after S seconds (default: run until Ctrl-C).")
  private Integer seconds;

  @Option(
      names = "--workers",
      paramLabel = "W",
      description = "CPU workers of the node (default: the available processors).")
  private Integer workers;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the simulated readings (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--plain",
      description = "Print one line per second instead of redrawing the screen.")
  private boolean plain;

  @Override
  public Integer call() {
    SensorDemo.Settings settings = settings();
    byte[] module = loadModule(MODULE);
    byte[] siteModule = loadModule(SITE_MODULE);
    PrintWriter out = spec.commandLine().getOut();
    var view = new DemoView(out, !plain && isTerminal(), settings.describe());
    var stopRequested = new AtomicBoolean();
    var finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> stopAndWait(stopRequested, finished), "mayfly-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try (var _ = logOptions.apply()) {
      new SensorDemo(settings, module, siteModule, view, stopRequested).run();
      return 0;
    } finally {
      out.flush();
      finished.countDown();
      removeHook(onCtrlC);
    }
  }

  private SensorDemo.Settings settings() {
    int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    require(sensors >= 1 && sensors <= 10_000_000, "--sensors must be in 1..10000000", sensors);
    require(rate >= 0, "--rate must be 0 (as fast as possible) or positive", rate);
    require(seconds == null || seconds >= 1, "--seconds must be at least 1", seconds);
    require(w >= 1 && w <= 1024, "--workers must be in 1..1024", w);
    return new SensorDemo.Settings(
        sensors, rate, seconds == null ? null : Duration.ofSeconds(seconds), seed, w);
  }

  private void require(boolean ok, String rule, Object value) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), rule + ", was " + value);
    }
  }

  /** An actor of examples/sensor-anomaly, packaged in this jar. */
  private static byte[] loadModule(String module) {
    try (InputStream in = DemoCommand.class.getResourceAsStream(module)) {
      if (in == null) {
        throw new IllegalStateException(
            module + " is missing from the classpath: rebuild with ./mvnw install");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + module, e);
    }
  }

  private static boolean isTerminal() {
    Console console = System.console();
    return console != null && console.isTerminal();
  }

  /** Runs on Ctrl-C: ends the run, then lets it close the node and print its summary. */
  private static void stopAndWait(AtomicBoolean stopRequested, CountDownLatch finished) {
    stopRequested.set(true);
    try {
      finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting (Ctrl-C): the hook is running and returns once we are done.
    }
  }
}
