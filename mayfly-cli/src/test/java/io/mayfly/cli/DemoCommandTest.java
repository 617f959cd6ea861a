package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new Main())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  @Test
  void demoRunsForItsDurationAndSummarizesTheTurnsItRan() {
    int exitCode = run("demo", "--seconds", "3", "--sensors", "500");

    assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
    String output = out.toString();
    assertThat(output).contains("Summary after");
    String summary = output.substring(output.indexOf("Summary after"));
    assertThat(number(summary, "turns")).isPositive();
    assertThat(number(summary, "readings sent")).isPositive();
  }

  @Test
  void badOptionValueIsAUsageError() {
    assertThat(run("demo", "--sensors", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--sensors must be in 1..10000000, was 0");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("Missing command").contains("demo");
  }

  @Test
  void helpListsTheDemo() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: mayfly").contains("demo");
  }

  /** The number after a summary row's label, such as {@code " turns 1,234 avg ..."}. */
  private static long number(String summary, String label) {
    Matcher m =
        Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+([\\d,]+)").matcher(summary);
    assertThat(m.find()).as("summary row '%s' in:%n%s", label, summary).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }
}
