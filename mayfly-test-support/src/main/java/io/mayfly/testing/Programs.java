package io.mayfly.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Programs installed on the machine (mosquitto, redis-server, wrk, node...), found on {@code PATH}
 * and in the directories Debian installs servers to, which a non-root {@code PATH} often lacks.
 */
public final class Programs {
  /** Searched after {@code PATH}: Debian puts daemons such as mosquitto in {@code /usr/sbin}. */
  private static final List<String> EXTRA_DIRS =
      List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin");

  private Programs() {}

  /**
   * The first executable file called {@code name} on {@code PATH}, then in {@code /usr/sbin},
   * {@code /usr/local/sbin}, {@code /usr/bin} and {@code /usr/local/bin}.
   */
  public static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(File.pathSeparator)), EXTRA_DIRS.stream())
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The program called {@code name}, or a failure saying how to install it.
   *
   * @param installHint what to do when it is missing, e.g. {@code "install it: apt-get install
   *     wrk"}
   * @throws IllegalStateException naming the program and the hint when it is not installed
   */
  public static Path require(String name, String installHint) {
    return find(name)
        .orElseThrow(
            () -> new IllegalStateException("'" + name + "' is not installed; " + installHint));
  }
}
