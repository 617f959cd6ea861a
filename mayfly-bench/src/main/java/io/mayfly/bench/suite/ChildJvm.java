package io.mayfly.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe (a main class of the benchmarks jar, see {@link ProbeLine}) in a child JVM with the
 * suite's {@code java} and class path and the JVM options of the measurement, and returns the
 * figures of its result line.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * A finished probe.
   *
   * @param result the figures the probe printed
   * @param startNanos {@link System#nanoTime()} just before the process was started
   * @param exitNanos {@link System#nanoTime()} once its exit was seen
   */
  public record Run(ProbeLine result, long startNanos, long exitNanos) {}

  /**
   * Runs {@code mainClass} with {@code args} in a new JVM and waits for it.
   *
   * @param probe the probe's name in its result line ({@code mayfly-probe NAME ...})
   * @param jvmOptions options before the class path ({@code -Xmx1g}, ...)
   * @throws ProbeFailedException if it exits non-zero, runs past the timeout, or prints no result
   *     line; the message names the probe and quotes the end of its output
   */
  public static Run run(
      String probe,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Duration timeout) {
    var command = new ArrayList<String>();
    command.add(Processes.javaExecutable().toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(Processes.classPath());
    command.add(mainClass);
    command.addAll(args);
    String name = describe(probe, jvmOptions, mainClass, args);
    Process process;
    long start = System.nanoTime();
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a JVM for probe " + name, e);
    }
    var out = Drain.start(process.getInputStream(), "probe-stdout");
    var err = Drain.start(process.getErrorStream(), "probe-stderr");
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new ProbeFailedException(
            name, "did not finish within " + timeout, output(out.text(), err.text()));
      }
      long exit = System.nanoTime();
      String stdout = out.text();
      if (process.exitValue() != 0) {
        throw new ProbeFailedException(
            name,
            "exited with " + process.exitValue(),
            output(stdout, err.text()),
            process.exitValue());
      }
      try {
        return new Run(ProbeLine.parse(probe, stdout), start, exit);
      } catch (ProbeFailedException e) {
        throw new ProbeFailedException(name, e.what(), output(stdout, err.text()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot talk to the JVM of probe " + name, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ProbeFailedException(name, "was interrupted", "");
    }
  }

  /** How a probe is named in errors: its name, main class, arguments and JVM options. */
  static String describe(
      String probe, List<String> jvmOptions, String mainClass, List<String> args) {
    return probe
        + " ("
        + String.join(" ", jvmOptions)
        + (jvmOptions.isEmpty() ? "" : " ")
        + mainClass
        + (args.isEmpty() ? "" : " " + String.join(" ", args))
        + ")";
  }

  private static String output(String stdout, String stderr) {
    return stderr.isBlank() ? stdout : stdout + "\n[standard error]\n" + stderr;
  }
}
