package io.mayfly.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options a Mayfly launcher script passes to {@code java}, read from the script itself so
 * the benchmarks run a node exactly as the distribution does and follow the script when it changes.
 * Both launchers ({@code bin/mayfly} of the distribution, {@code ./mayfly} of a checkout) end with
 * {@code exec "$JAVA/bin/java" OPTIONS "${extra[@]}" -cp ...}, where {@code extra} is the user's
 * {@code MAYFLY_JAVA_OPTS}.
 */
final class LauncherOptions {
  /** The distribution's launcher, relative to the checkout. */
  static final String DISTRIBUTION = "mayfly-cli/src/dist/bin/mayfly";

  /** The checkout's launcher, relative to the checkout. */
  static final String CHECKOUT = "mayfly";

  private static final Pattern EXEC =
      Pattern.compile("exec\\s+\"\\$\\{?[A-Za-z_]+}?/bin/java\"\\s+(.*?)\\s*\"\\$\\{extra\\[@]}\"");

  private LauncherOptions() {}

  /** The options of the distribution's launcher, {@value #DISTRIBUTION} in the checkout. */
  static List<String> distribution(Path root) {
    return read(root.resolve(DISTRIBUTION));
  }

  /** The options a launcher script passes to {@code java} before the user's own. */
  static List<String> read(Path script) {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the launcher " + script + " (run the suite with --root set to the checkout)",
          e);
    }
    return parse(script.toString(), text);
  }

  /** The options of a launcher's text; {@code name} names it in errors. */
  static List<String> parse(String name, String script) {
    // Join continued lines, then find the line that runs java.
    Matcher m = EXEC.matcher(script.replace("\\\n", " "));
    if (!m.find()) {
      throw new IllegalStateException(
          "cannot find the JVM options in "
              + name
              + ": no line 'exec \"$JAVA/bin/java\" OPTIONS \"${extra[@]}\" ...'");
    }
    List<String> options =
        m.group(1).isBlank() ? List.of() : Arrays.asList(m.group(1).strip().split("\\s+"));
    for (String option : options) {
      if (!option.startsWith("-") || option.contains("$") || option.contains("\"")) {
        throw new IllegalStateException(
            "cannot read the JVM options in "
                + name
                + ": '"
                + option
                + "' is not a plain JVM option (the benchmarks pass them to java as they are)");
      }
    }
    return List.copyOf(options);
  }
}
