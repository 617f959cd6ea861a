package io.mayfly.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker for tests, on a free loopback port, configured by a generated file in a
 * temporary directory. {@link #stop()} and {@link #start()} restart it on the same port.
 *
 * <p>It fails, never skips, when mosquitto is not installed: a test that did not run must not look
 * like one that passed.
 */
public final class Mosquitto {
  /** What to do when the broker or its command-line clients are missing. */
  public static final String INSTALL_HINT =
      "install it: apt-get install mosquitto mosquitto-clients (the MQTT tests need a real broker)";

  private final Path dir;
  private final int port;
  private final boolean persistent;
  private Process process;

  private Mosquitto(Path dir, int port, boolean persistent) {
    this.dir = dir;
    this.port = port;
    this.persistent = persistent;
  }

  /**
   * Starts a broker on a free loopback port and waits until it accepts connections.
   *
   * @param dir where its configuration and its log ({@code mosquitto.log}) go
   * @throws IllegalStateException with {@link #INSTALL_HINT} when mosquitto is not installed, or
   *     with its log when it exits at start
   */
  public static Mosquitto start(Path dir) throws IOException {
    var broker = new Mosquitto(dir, Ports.freeLoopback(), false);
    broker.start();
    return broker;
  }

  /**
   * Starts a broker that keeps sessions and queued messages in {@code dir} across restarts, saved
   * after every change (so a {@link #kill()} loses as little as mosquitto allows).
   */
  public static Mosquitto startPersistent(Path dir) throws IOException {
    var broker = new Mosquitto(dir, Ports.freeLoopback(), true);
    broker.start();
    return broker;
  }

  /** The broker's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Starts the broker (again) on its port and waits until it accepts connections. */
  public void start() throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            // Without it, small messages wait for Nagle's algorithm and delayed ACKs (40 ms).
            "set_tcp_nodelay true",
            // As root, stay root: the persistence file is in a directory only root may write.
            persistent ? "user root" : "",
            "persistence " + persistent,
            persistent ? "persistence_location " + dir.toAbsolutePath() + "/" : "",
            persistent ? "autosave_interval 1" : "",
            persistent ? "autosave_on_changes true" : "",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "max_queued_messages 100000",
            ""));
    // Started as root, mosquitto drops to user "mosquitto"; it reads the config first, logs to
    // stderr only, so nothing needs to be readable afterwards.
    process =
        new ProcessBuilder(binary("mosquitto"), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
            .start();
    Process started = process;
    await("mosquitto accepting connections on 127.0.0.1:" + port + " (log: " + log() + ")")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              if (!started.isAlive()) {
                throw new IllegalStateException(
                    "mosquitto exited with " + started.exitValue() + ": " + log());
              }
              return accepts();
            });
  }

  /** Kills the broker at once (SIGKILL, as a crash would) and waits until it is gone. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
      process = null;
    }
  }

  /** Stops the broker and waits until it is gone. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  private boolean accepts() {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the broker logged so far (errors, warnings, notices), for failure messages. */
  public String log() {
    try {
      Path log = dir.resolve("mosquitto.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code mosquitto_pub} against this broker, as a user would, and waits for it. */
  public void pub(String topic, String message, int qos) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                binary("mosquitto_pub"),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-q",
                Integer.toString(qos),
                "-t",
                topic,
                "-m",
                message)
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("mosquitto_pub did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() != 0) {
      throw new IllegalStateException("mosquitto_pub exited with " + p.exitValue() + ": " + out);
    }
  }

  /**
   * Starts {@code mosquitto_sub -v} on a filter and waits until it receives: a marker published on
   * a topic the filter matches ({@code _ready} in place of wildcards) shows up in {@link
   * Sub#lines()}.
   */
  public Sub sub(String filter) throws IOException {
    Process p =
        new ProcessBuilder(
                binary("mosquitto_sub"),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-v",
                "-t",
                filter)
            .redirectErrorStream(true)
            .start();
    var sub = new Sub(p);
    Thread.ofPlatform().daemon().name("mosquitto_sub-reader").start(sub::read);
    String marker = filter.replace("+", "_ready").replace("#", "_ready");
    try {
      await("mosquitto_sub subscribed to " + filter)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                pub(marker, "ready", 0);
                return sub.lines().stream().anyMatch(l -> l.startsWith(marker + " "));
              });
    } catch (RuntimeException e) {
      p.destroy(); // do not leave a subscriber behind a failed test
      throw e;
    }
    return sub;
  }

  /** A running {@code mosquitto_sub}. */
  public static final class Sub {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    Sub(Process process) {
      this.process = process;
    }

    private void read() {
      try (var reader = process.inputReader()) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }

    /** The lines received so far, {@code topic payload} each. */
    public List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** Stops the subscriber. */
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The path of a mosquitto program ({@code mosquitto}, {@code mosquitto_pub}, {@code
   * mosquitto_sub}), found by {@link Programs#find(String)}.
   *
   * @throws IllegalStateException with {@link #INSTALL_HINT} when it is not installed
   */
  static String binary(String name) {
    return Programs.require(name, INSTALL_HINT).toString();
  }
}
