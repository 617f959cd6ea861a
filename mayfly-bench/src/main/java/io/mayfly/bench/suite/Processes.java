package io.mayfly.bench.suite;

import io.mayfly.testing.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes, resident memory and the tools the workloads look for. */
public final class Processes {
  private Processes() {}

  /** The resident set size of a process in bytes ({@code VmRSS} in {@code /proc/PID/status}). */
  public static long rssBytes(long pid) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the memory of process " + pid, e);
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  /** This JVM's resident set size in bytes. */
  public static long ownRssBytes() {
    return rssBytes(ProcessHandle.current().pid());
  }

  /** The path of an executable, or a clear error naming the package that provides it. */
  public static Path require(String command, String debianPackage) {
    return Programs.require(
        command,
        "install the Debian package "
            + debianPackage
            + " (scripts/bench installs it when run as root)");
  }

  /**
   * Runs a command to completion and returns its standard output (standard error is inherited).
   *
   * @throws IllegalStateException if it exits non-zero or runs longer than the timeout
   */
  public static String run(List<String> command, long timeoutSeconds) {
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + process.exitValue() + ": " + String.join(" ", command));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** The path of the running JVM's {@code java} executable (for child JVMs). */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The class path of this JVM (the benchmarks jar), for child JVMs that run suite classes. */
  public static String classPath() {
    return System.getProperty("java.class.path");
  }
}
