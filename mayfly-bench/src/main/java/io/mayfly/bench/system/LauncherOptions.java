package io.mayfly.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a Mayfly launcher passes to {@code java}, read from the files the launchers read,
 * so the benchmarks run a node exactly as the distribution does and follow the launchers when they
 * change. Both launchers ({@code bin/mayfly} of the distribution, {@code ./mayfly} of a checkout)
 * start {@code java} with the argument file {@value #OPTIONS_FILE} and the serial collector
 * ({@value #DEFAULT_COLLECTOR}, left out when the user's {@code MAYFLY_JAVA_OPTS} names another).
 */
final class LauncherOptions {
  /** The distribution's launcher, relative to the checkout. */
  static final String DISTRIBUTION = "mayfly-cli/src/dist/bin/mayfly";

  /** The checkout's launcher, relative to the checkout. */
  static final String CHECKOUT = "mayfly";

  /** The JVM options both launchers give {@code java} as an argument file. */
  static final String OPTIONS_FILE = "mayfly-cli/src/dist/conf/jvm.options";

  /** The collector the launchers add unless the user names one. */
  static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";

  private LauncherOptions() {}

  /** The options the distribution's launcher gives {@code java} before the user's own. */
  static List<String> distribution(Path root) {
    var options = new ArrayList<>(parse(OPTIONS_FILE, read(root.resolve(OPTIONS_FILE))));
    options.add(DEFAULT_COLLECTOR);
    return List.copyOf(options);
  }

  /** Whether the launcher script at {@code script} starts java with the options file. */
  static boolean usesOptionsFile(Path script) {
    return read(script).contains("conf/jvm.options\"");
  }

  /** Whether the launcher script at {@code script} adds the distribution's collector. */
  static boolean addsDefaultCollector(Path script) {
    return read(script).contains(DEFAULT_COLLECTOR);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + " (run the suite with --root set to the checkout)", e);
    }
  }

  /**
   * The options of a java argument file: one per line, {@code #} starts a comment; {@code name}
   * names it in errors.
   */
  static List<String> parse(String name, String text) {
    var options = new ArrayList<String>();
    for (String line : text.split("\n")) {
      String option = line.strip();
      if (option.isEmpty() || option.startsWith("#")) {
        continue;
      }
      if (!option.startsWith("-")
          || option.contains("$")
          || option.contains("\"")
          || option.contains(" ")) {
        throw new IllegalStateException(
            "cannot read the JVM options in "
                + name
                + ": '"
                + option
                + "' is not a plain JVM option (the benchmarks pass them to java as they are)");
      }
      options.add(option);
    }
    if (options.isEmpty()) {
      throw new IllegalStateException("cannot find the JVM options in " + name + ": it has none");
    }
    return List.copyOf(options);
  }
}
