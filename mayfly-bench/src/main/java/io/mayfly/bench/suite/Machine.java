package io.mayfly.bench.suite;

import io.mayfly.testing.Programs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the results were measured on: the machine, the JDK and the load the neighbours put on it.
 */
public final class Machine {
  private Machine() {}

  /** The CPU model from {@code /proc/cpuinfo}. */
  public static String cpuModel() {
    return readLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("unknown CPU");
  }

  /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
  public static String loadAverage() {
    List<String> lines = readLines(Path.of("/proc/loadavg"));
    if (lines.isEmpty()) {
      return "unknown";
    }
    String[] parts = lines.get(0).split("\\s+");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  /** The operating system's pretty name from {@code /etc/os-release}. */
  public static String os() {
    return readLines(Path.of("/etc/os-release")).stream()
        .filter(l -> l.startsWith("PRETTY_NAME="))
        .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
        .findFirst()
        .orElse(System.getProperty("os.name"));
  }

  /** The version a command prints, first line, or "not installed". */
  public static String toolVersion(String command, String... args) {
    Optional<Path> path = Programs.find(command);
    if (path.isEmpty()) {
      return "not installed";
    }
    var cmd = new ArrayList<String>();
    cmd.add(path.get().toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** A Markdown description of the machine and the software the run used. */
  public static String describe(boolean quick) {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    return String.join(
        "\n",
        "| | |",
        "|---|---|",
        "| mode | " + (quick ? "--quick (fewer repetitions, shorter runs)" : "full") + " |",
        "| CPU | " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores |",
        "| memory | " + (memory > 0 ? Stats.bytes(memory) : "unknown") + " |",
        "| OS | " + os() + " |",
        "| JDK | "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.vendor")
            + ") |",
        "| JVM options | "
            + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            + " |",
        "| Node.js | " + toolVersion("node", "--version") + " |",
        "| redis-server | " + toolVersion("redis-server", "--version") + " |",
        "| mosquitto | " + toolVersion("mosquitto", "-h") + " |",
        "| wrk | " + toolVersion("wrk", "--version") + " |",
        "| load average at start (1, 5, 15 min) | " + loadAverage() + " |",
        "");
  }

  private static List<String> readLines(Path path) {
    try {
      return Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
