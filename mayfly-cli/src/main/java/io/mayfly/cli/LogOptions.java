package io.mayfly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * The {@code --verbose} and {@code --log-format} options that commands share as a mixin. The
 * runtime logs through {@link System.Logger}, which the JDK backs with {@code java.util.logging};
 * without {@code --verbose} a command shows only warnings and errors of the node, of actors and of
 * the HTTP server.
 */
final class LogOptions {
  /**
   * The logger roots of the runtime ({@code io.mayfly.*}), of actor log lines, and of the HTTP
   * server ({@code io.helidon.*}).
   */
  private static final List<String> ROOTS = List.of("io.mayfly", "mayfly", "io.helidon");

  /** How log records are written. */
  enum LogFormat {
    /** One line per record (a stack trace follows on tab-indented lines). */
    TEXT,
    /**
     * One JSON object per line: timestamp, level, logger, thread, actor and traceId (lines of a
     * turn), message, exception.
     */
    JSON
  }

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the node's informational log lines.")
  boolean verbose;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "${env:MAYFLY_LOG_FORMAT:-text}",
      converter = LogFormatNames.class,
      completionCandidates = LogFormatNames.class,
      description =
          "text: one line per record; json: one JSON object per line (timestamp, level,"
              + " logger, thread, actor, traceId, message, exception). Env MAYFLY_LOG_FORMAT;"
              + " default: text.")
  LogFormat format = LogFormat.TEXT;

  /**
   * Applies the options until the returned handle is closed, which restores the previous levels and
   * formats (a command may run inside a test JVM).
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
    var handlers = List.of(Logger.getLogger("").getHandlers());
    var formatters = new ArrayList<Formatter>();
    for (Handler h : handlers) {
      formatters.add(h.getFormatter());
      h.setFormatter(LogFormats.of(format));
    }
    return new Applied(loggers, previous, handlers, formatters);
  }

  /**
   * Levels and formatters set by {@link #apply()}; holds the loggers so they are not collected
   * meanwhile.
   */
  record Applied(
      List<Logger> loggers, List<Level> previous, List<Handler> handlers, List<Formatter> formats)
      implements AutoCloseable {
    @Override
    public void close() {
      for (int i = 0; i < loggers.size(); i++) {
        loggers.get(i).setLevel(previous.get(i));
      }
      for (int i = 0; i < handlers.size(); i++) {
        // A handler may have had no formatter (one installed by a test harness): leave ours.
        if (formats.get(i) != null) {
          handlers.get(i).setFormatter(formats.get(i));
        }
      }
    }
  }

  /** {@code text} and {@code json}. */
  static final class LogFormatNames extends EnumNames<LogFormat> {
    LogFormatNames() {
      super(LogFormat.class);
    }
  }
}
