package io.mayfly.bench.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.bench.suite.Processes;
import io.mayfly.bench.suite.Stats;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Node.js/V8: the same {@code sensor.wasm} instantiated with {@code WebAssembly.instantiate} by the
 * JavaScript host {@code sensor-host.mjs} (a resource beside this class), which implements the
 * Mayfly host functions the module imports and keeps the actors' state in a JavaScript {@code Map}
 * keyed by actor id. Everything runs on node's single thread, run to completion: a message is
 * handled when the loop reaches it.
 *
 * <p>The host runs as a child process: this class writes the module and the streams into a
 * temporary directory, sends one JSON command per line on the host's standard input and reads one
 * JSON line back per command. The process is stopped on {@link #close}, and when it fails to start.
 */
final class V8Host implements Implementation {
  private static final String SCRIPT = "sensor-host.mjs";
  private static final long START_SECONDS = 30;

  /** Beyond the run's own length: how long a command may take before the host is stuck. */
  private static final long SLACK_SECONDS = 120;

  /** Marks the end of the host's output in {@link #lines}. */
  private static final String END = new String("end of output");

  private final ObjectMapper json = new ObjectMapper();
  private final Path dir;
  private final Process process;
  private final BufferedWriter commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private String version = "unknown";
  private int verifications;

  private V8Host(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
    this.commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread.ofPlatform()
        .daemon()
        .name("node-sensor-host-output")
        .start(() -> readLines(process.getInputStream()));
  }

  /**
   * Starts {@code node} with the host, the module and the table of timed readings.
   *
   * @throws IllegalStateException naming the Debian package nodejs when node is not installed, or
   *     with the host's reason when it cannot run the module (an import it does not implement)
   */
  static V8Host start(byte[] module, TimingTable table) throws IOException {
    return start("node", module, table);
  }

  /** As {@link #start(byte[], TimingTable)}, with the node executable's name. */
  static V8Host start(String command, byte[] module, TimingTable table) throws IOException {
    Path node = Processes.require(command, "nodejs");
    Path dir = Files.createTempDirectory("mayfly-iot-v8-");
    Path script = dir.resolve(SCRIPT);
    try (InputStream in = V8Host.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource io/mayfly/bench/iot/" + SCRIPT + " is missing: rebuild mayfly-bench");
      }
      Files.write(script, in.readAllBytes());
    }
    Path wasm = Files.write(dir.resolve("sensor.wasm"), module);
    Path readings = Files.write(dir.resolve("table.bin"), tableFile(table));
    Process process =
        new ProcessBuilder(node.toString(), script.toString(), wasm.toString(), readings.toString())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    var host = new V8Host(dir, process);
    try {
      host.version = host.await("ready", START_SECONDS).path("node").asText("unknown");
      return host;
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "Node.js/V8";
  }

  /** Node's version, as it reports it. */
  String version() {
    return version;
  }

  @Override
  public Outcome verify(VerificationStream stream) {
    Path file = dir.resolve("verify-" + verifications++ + ".bin");
    write(file, verificationFile(stream));
    JsonNode result = call(command("verify").put("file", file.toString()), 0);
    var alerts = new ArrayList<Outcome.Alert>();
    for (JsonNode a : result.path("alerts")) {
      alerts.add(
          new Outcome.Alert(a.get(0).intValue(), a.get(1).doubleValue(), a.get(2).doubleValue()));
    }
    var replies = new ArrayList<Outcome.Reply>();
    for (JsonNode r : result.path("replies")) {
      replies.add(
          new Outcome.Reply(
              r.get(0).intValue(),
              r.get(1).intValue(),
              r.get(2).doubleValue(),
              r.get(3).doubleValue()));
    }
    return Outcome.of(alerts, replies);
  }

  @Override
  public void fill(int sensors) {
    call(command("fill").put("sensors", sensors), 0);
  }

  @Override
  public Saturation saturate(int sensors, long warmUpNanos, long windowNanos) {
    JsonNode r =
        call(
            command("saturate")
                .put("sensors", sensors)
                .put("warmUpMillis", warmUpNanos / 1e6)
                .put("windowMillis", windowNanos / 1e6),
            warmUpNanos + windowNanos);
    long turns = r.path("turns").longValue();
    return new Saturation(
        turns,
        r.path("nanos").longValue(),
        histogram(r.path("latencies")),
        r.path("cpuNanos").doubleValue() / turns,
        Double.NaN);
  }

  @Override
  public Histogram paced(int sensors, double perSecond, long nanos) {
    JsonNode r =
        call(
            command("paced")
                .put("sensors", sensors)
                .put("perSecond", perSecond)
                .put("millis", nanos / 1e6),
            nanos * 3);
    return histogram(r.path("latencies"));
  }

  private static Histogram histogram(JsonNode latencies) {
    Histogram h = Stats.latencyHistogram();
    for (JsonNode v : latencies) {
      h.recordValue(Math.max(1, v.longValue()));
    }
    return h;
  }

  private ObjectNode command(String op) {
    return json.createObjectNode().put("op", op);
  }

  /** Sends a command and returns its answer; {@code runNanos} is how long it is meant to run. */
  private JsonNode call(ObjectNode command, long runNanos) {
    String op = command.get("op").asText();
    try {
      commands.write(json.writeValueAsString(command));
      commands.newLine();
      commands.flush();
    } catch (IOException e) {
      throw new IllegalStateException(
          name() + " sensor host stopped taking commands (" + e.getMessage() + ")" + exit(), e);
    }
    return await(op, TimeUnit.NANOSECONDS.toSeconds(runNanos) + SLACK_SECONDS);
  }

  /** Reads the host's answer to {@code op}. */
  private JsonNode await(String op, long seconds) {
    String line;
    try {
      line = lines.poll(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the " + name() + " host", e);
    }
    if (line == null) {
      throw new IllegalStateException(
          name() + " sensor host did not answer '" + op + "' within " + seconds + " s");
    }
    if (line == END) {
      throw new IllegalStateException(
          name() + " sensor host ended before answering '" + op + "'" + exit());
    }
    JsonNode answer;
    try {
      answer = json.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(name() + " sensor host printed something else: " + line, e);
    }
    if (answer.has("error")) {
      throw new IllegalStateException(name() + " sensor host: " + answer.get("error").asText());
    }
    if (!op.equals(answer.path("ok").asText())) {
      throw new IllegalStateException(
          name() + " sensor host answered " + line + " where '" + op + "' was expected");
    }
    return answer;
  }

  private void readLines(InputStream out) {
    try (var reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The process is gone; END below tells the waiting command.
    }
    lines.add(END);
  }

  /** How the process ended and the end of what it printed on standard error. */
  private String exit() {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        return "";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
    String err = "";
    try {
      err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      err = "(stderr unreadable: " + e.getMessage() + ")";
    }
    if (err.length() > 2000) {
      err = "..." + err.substring(err.length() - 2000);
    }
    return " (exit status " + process.exitValue() + (err.isEmpty() ? "" : "; stderr: " + err) + ")";
  }

  /** "IOTT", u32 entries, then per entry u32 kind (0 tell, 1 ask) and the 64-byte reading. */
  static byte[] tableFile(TimingTable table) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + TimingTable.ENTRIES * (4 + Readings.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put("IOTT".getBytes(StandardCharsets.US_ASCII)).putInt(TimingTable.ENTRIES);
    for (int e = 0; e < TimingTable.ENTRIES; e++) {
      b.putInt(table.ask(e) ? 1 : 0).put(table.reading(e));
    }
    return b.array();
  }

  /** "IOTV", u32 sensors, u32 messages, then per message u32 sensor, u32 kind and the reading. */
  static byte[] verificationFile(VerificationStream stream) {
    List<VerificationStream.Message> messages = stream.messages();
    ByteBuffer b =
        ByteBuffer.allocate(12 + messages.size() * (8 + Readings.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put("IOTV".getBytes(StandardCharsets.US_ASCII))
        .putInt(stream.sensors())
        .putInt(messages.size());
    for (VerificationStream.Message m : messages) {
      b.putInt(m.sensor()).putInt(m.ask() ? 1 : 0).put(m.reading());
    }
    return b.array();
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      commands.close(); // the host exits when its input ends
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteDirectory();
  }

  private void deleteDirectory() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is not worth failing the workload for.
    }
  }
}
