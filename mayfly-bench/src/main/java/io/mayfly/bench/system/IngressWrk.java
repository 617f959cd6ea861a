package io.mayfly.bench.system;

import io.mayfly.bench.suite.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (keep-alive HTTP load, {@code --latency}) with the ask script {@code
 * ingress-ask.lua} and reads its report: requests per second and the latency percentiles it prints
 * (50, 75, 90, 99 %).
 */
final class IngressWrk {
  /** What wrk reported for one run; latencies in nanoseconds. */
  record Result(
      double requestsPerSecond,
      long requests,
      long p50Nanos,
      long p75Nanos,
      long p90Nanos,
      long p99Nanos,
      long errors) {}

  /** How the script addresses the actors: {@code prefix + "a" + i + suffix}, with this body. */
  record Asks(int actors, String pathPrefix, String pathSuffix, String body) {
    /** The path of actor {@code i}'s ask, as the script builds it. */
    String path(int i) {
      return pathPrefix + "a" + i + pathSuffix;
    }
  }

  private static final Pattern REQUESTS_PER_SECOND =
      Pattern.compile("^Requests/sec:\\s+([0-9.]+)\\s*$", Pattern.MULTILINE);
  private static final Pattern REQUESTS =
      Pattern.compile("^\\s*([0-9.]+)([kMGT]?) requests in ", Pattern.MULTILINE);
  private static final Pattern NON_2XX =
      Pattern.compile("^\\s*Non-2xx or 3xx responses:\\s+(\\d+)", Pattern.MULTILINE);
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern TIME = Pattern.compile("([0-9.]+)(us|ms|s|m|h)");

  private final Path wrk;
  private final Path script;

  private IngressWrk(Path wrk, Path script) {
    this.wrk = wrk;
    this.script = script;
  }

  /**
   * Finds wrk and writes the ask script into {@code dir}.
   *
   * @throws IllegalStateException naming the Debian package when wrk is not installed
   */
  static IngressWrk create(Path dir) throws IOException {
    Path wrk = Processes.require("wrk", "wrk");
    Files.createDirectories(dir);
    Path script = dir.resolve("ingress-ask.lua");
    try (InputStream in = IngressWrk.class.getResourceAsStream("ingress-ask.lua")) {
      if (in == null) {
        throw new IllegalStateException(
            "resource io/mayfly/bench/system/ingress-ask.lua is missing: rebuild mayfly-bench");
      }
      Files.write(script, in.readAllBytes());
    }
    return new IngressWrk(wrk, script);
  }

  /**
   * Runs wrk with 2 threads (1 for a single connection) against {@code baseUrl} for {@code seconds}
   * and parses its report.
   */
  Result run(String baseUrl, Asks asks, int connections, int seconds) {
    int threads = Math.min(2, connections);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            wrk.toString(),
            "--latency",
            "-t",
            Integer.toString(threads),
            "-c",
            Integer.toString(connections),
            "-d",
            seconds + "s",
            "--timeout",
            "10s",
            "-s",
            script.toString(),
            baseUrl,
            "--",
            Integer.toString(asks.actors()),
            asks.pathPrefix(),
            asks.pathSuffix(),
            asks.body(),
            Integer.toString(threads)));
    return parse(Processes.run(command, seconds + 30L));
  }

  /**
   * Reads wrk's report: {@code Requests/sec}, the request count ({@code 1.2M requests in}), the
   * {@code Latency Distribution} lines (values in {@code us}, {@code ms}, {@code s}, {@code m} or
   * {@code h}) and the error counts (non-2xx responses plus socket errors).
   *
   * @throws IllegalArgumentException if a figure is missing (the output is quoted)
   */
  static Result parse(String output) {
    double rate = Double.parseDouble(find(REQUESTS_PER_SECOND, output, "Requests/sec").group(1));
    Matcher requests = find(REQUESTS, output, "N requests in");
    long count = Math.round(Double.parseDouble(requests.group(1)) * scale(requests.group(2)));
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new Result(
        rate,
        count,
        percentile(output, "50"),
        percentile(output, "75"),
        percentile(output, "90"),
        percentile(output, "99"),
        errors);
  }

  private static long percentile(String output, String percent) {
    Pattern line =
        Pattern.compile(
            "^\\s*" + percent + "(?:\\.0+)?%\\s+([0-9.]+(?:us|ms|s|m|h))\\s*$", Pattern.MULTILINE);
    return nanos(find(line, output, percent + "% latency (run wrk with --latency)").group(1));
  }

  /** A wrk duration such as {@code 812.00us}, {@code 1.25ms}, {@code 2.01s}, in nanoseconds. */
  static long nanos(String text) {
    Matcher m = TIME.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a wrk duration: '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1));
    double unit =
        switch (m.group(2)) {
          case "us" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
    return Math.round(value * unit);
  }

  private static double scale(String suffix) {
    return switch (suffix) {
      case "k" -> 1e3;
      case "M" -> 1e6;
      case "G" -> 1e9;
      case "T" -> 1e12;
      default -> 1;
    };
  }

  private static Matcher find(Pattern pattern, String output, String what) {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + what + " in wrk's output:\n" + output);
    }
    return m;
  }

  /** The path of the script written by {@link #create}, for reading it in tests. */
  Path script() {
    return script;
  }
}
