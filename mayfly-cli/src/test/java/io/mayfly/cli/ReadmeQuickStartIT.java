package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.testing.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Follows the README's quick start: its code blocks are exactly the demo and the test command, and
 * the demo command runs as written from the repository root (shortened, and with the build this
 * Maven run just made instead of ./mayfly starting a nested one).
 */
class ReadmeQuickStartIT {
  private static final Path ROOT = Checkout.root();
  private static final String DEMO = "./mayfly demo --seconds 30";

  /** The lines of the fenced code blocks between "## Quick start" and the next section. */
  static List<String> quickStartCommands(String readme) {
    int start = readme.indexOf("\n## Quick start");
    assertThat(start).as("README.md has a Quick start section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    var commands = new ArrayList<String>();
    boolean inBlock = false;
    for (String line : section.lines().toList()) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock && !line.isBlank()) {
        commands.add(line.strip());
      }
    }
    return commands;
  }

  @Test
  void quickStartIsTheDemoAndTheTestsAndTheDemoRuns() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(quickStartCommands(readme)).containsExactly(DEMO, "scripts/test");

    // Do not run scripts/test here: it runs this test. The demo runs for 3 s, not 30.
    String command = DEMO.replace("--seconds 30", "--seconds 3");
    var demo =
        Processes.run(ROOT, Map.of("MAYFLY_SKIP_BUILD", "1"), 120, List.of("bash", "-c", command));
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output()).contains("Summary after");
    assertThat(demo.output()).doesNotContain("building Mayfly");
  }
}
