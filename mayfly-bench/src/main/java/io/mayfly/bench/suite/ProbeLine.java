package io.mayfly.bench.suite;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one machine-readable line a probe prints: a probe is a main class of the benchmarks jar that
 * a workload runs in a child JVM ({@link ChildJvm}) to measure something in a process of its own (a
 * clean heap, its own RSS, a fresh start). The line is {@code mayfly-probe NAME key=value ...};
 * values are numbers, words, or comma-separated lists of numbers, never spaces.
 *
 * <p>The probe builds it with {@link #named}, {@link #put} and {@link #print}; the workload finds
 * it in the child's standard output with {@link #parse} and reads the figures by key.
 */
public final class ProbeLine {
  /** What every result line starts with. */
  public static final String PREFIX = "mayfly-probe ";

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern VALUE = Pattern.compile("[^\\s=]+");

  private final String probe;
  private final Map<String, String> figures;

  private ProbeLine(String probe, Map<String, String> figures) {
    this.probe = probe;
    this.figures = figures;
  }

  /** An empty line for a probe; add its figures with {@link #put}. */
  public static ProbeLine named(String probe) {
    checkKey("probe name", probe);
    return new ProbeLine(probe, new LinkedHashMap<>());
  }

  /** Adds a figure. */
  public ProbeLine put(String key, long value) {
    return put(key, Long.toString(value));
  }

  /** Adds a list of figures (e.g. one per repetition inside the probe). */
  public ProbeLine put(String key, long[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("figure '" + key + "' of probe " + probe + " is empty");
    }
    return put(key, String.join(",", Arrays.stream(values).mapToObj(Long::toString).toList()));
  }

  /** Adds a word (a setting, an engine name). */
  public ProbeLine put(String key, String value) {
    checkKey("figure name", key);
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "figure '" + key + "' of probe " + probe + " must be one word, was '" + value + "'");
    }
    if (figures.putIfAbsent(key, value) != null) {
      throw new IllegalArgumentException("figure '" + key + "' of probe " + probe + " twice");
    }
    return this;
  }

  /** The probe that printed the line. */
  public String probe() {
    return probe;
  }

  /** The line as printed. */
  public String format() {
    var line = new StringBuilder(PREFIX).append(probe);
    figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    return line.toString();
  }

  /** Prints the line on standard output, where {@link ChildJvm} looks for it. */
  public void print() {
    System.out.println(format());
    System.out.flush();
  }

  /** Whether the line has a figure. */
  public boolean has(String key) {
    return figures.containsKey(key);
  }

  /** A figure as a word. */
  public String text(String key) {
    String value = figures.get(key);
    if (value == null) {
      throw new IllegalStateException(
          "probe " + probe + " did not report '" + key + "' in its result line: " + format());
    }
    return value;
  }

  /** A whole-number figure. */
  public long longValue(String key) {
    String value = text(key);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "probe " + probe + " reported '" + key + "=" + value + "', not a whole number", e);
    }
  }

  /** A list of whole numbers. */
  public long[] longs(String key) {
    String value = text(key);
    try {
      return Arrays.stream(value.split(",")).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "probe " + probe + " reported '" + key + "=" + value + "', not a list of numbers", e);
    }
  }

  /**
   * Finds the result line of {@code probe} in a child's standard output.
   *
   * @throws ProbeFailedException if there is none, or more than one
   */
  public static ProbeLine parse(String probe, String output) {
    String start = PREFIX + probe;
    List<String> lines =
        output.lines().filter(l -> l.equals(start) || l.startsWith(start + " ")).toList();
    if (lines.size() != 1) {
      throw new ProbeFailedException(
          probe,
          (lines.isEmpty() ? "printed no result line" : "printed " + lines.size() + " result lines")
              + " ('"
              + start
              + " key=value ...')",
          output);
    }
    var figures = new LinkedHashMap<String, String>();
    String rest = lines.get(0).substring(start.length()).strip();
    for (String token : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq <= 0 || eq == token.length() - 1) {
        throw new ProbeFailedException(
            probe, "printed a malformed figure '" + token + "' in its result line", output);
      }
      figures.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return new ProbeLine(probe, figures);
  }

  private static void checkKey(String what, String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          what + " must be lower-case letters, digits and '-', was '" + key + "'");
    }
  }
}
