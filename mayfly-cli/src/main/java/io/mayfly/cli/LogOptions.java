package io.mayfly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option that commands share as a mixin. The runtime logs through {@link
 * System.Logger}, which the JDK backs with {@code java.util.logging}; without {@code --verbose} a
 * command shows only warnings and errors of the node, of actors and of the HTTP server.
 */
final class LogOptions {
  /**
   * The logger roots of the runtime ({@code io.mayfly.*}), of actor log lines, and of the HTTP
   * server ({@code io.helidon.*}).
   */
  private static final List<String> ROOTS = List.of("io.mayfly", "mayfly", "io.helidon");

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the node's informational log lines.")
  boolean verbose;

  /**
   * Applies the option until the returned handle is closed, which restores the previous levels (a
   * command may run inside a test JVM).
   */
  Applied apply() {
    var loggers = new ArrayList<Logger>();
    var previous = new ArrayList<Level>();
    if (!verbose) {
      for (String root : ROOTS) {
        Logger logger = Logger.getLogger(root);
        loggers.add(logger);
        previous.add(logger.getLevel());
        logger.setLevel(Level.WARNING);
      }
    }
    return new Applied(loggers, previous);
  }

  /** Levels set by {@link #apply()}; holds the loggers so they are not collected meanwhile. */
  record Applied(List<Logger> loggers, List<Level> previous) implements AutoCloseable {
    @Override
    public void close() {
      for (int i = 0; i < loggers.size(); i++) {
        loggers.get(i).setLevel(previous.get(i));
      }
    }
  }
}
