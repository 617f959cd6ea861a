package io.mayfly.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mayfly.runtime.LogContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The log line formats of {@code --log-format}: {@code text}, one line per record, and {@code
 * json}, one JSON object per record. Both write the time in UTC, and on each line a turn produced
 * the actor's address and, while the node traces, the trace id ({@link LogContext}).
 */
final class LogFormats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = new JsonFactory();

  private LogFormats() {}

  /** A formatter for the format's name. */
  static Formatter of(LogOptions.LogFormat format) {
    return switch (format) {
      case TEXT -> new TextLine();
      case JSON -> new JsonLine();
    };
  }

  /**
   * {@code 2026-12-03T08:00:00.000Z INFO io.mayfly.http.HelidonHttpServer [main] message}; a record
   * with an exception is followed by its stack trace, each line indented by a tab.
   */
  static final class TextLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      var line = new StringBuilder(128);
      line.append(TIME.format(r.getInstant()))
          .append(' ')
          .append(r.getLevel().getName())
          .append(' ')
          .append(r.getLoggerName())
          .append(" [")
          .append(threadName(r))
          .append("] ")
          .append(oneLine(formatMessage(r)));
      if (r.getThrown() != null) {
        line.append(": ").append(r.getThrown());
        for (String frame : stackTrace(r.getThrown()).lines().skip(1).toList()) {
          line.append(System.lineSeparator()).append('\t').append(frame.strip());
        }
      }
      return line.append(System.lineSeparator()).toString();
    }
  }

  /**
   * {@code {"timestamp", "level", "logger", "thread", "message"}}, {@code "actor"} and {@code
   * "traceId"} on the lines of a turn (a record with a {@link LogContext}), and {@code "exception"}
   * (the stack trace) when the record has one, on one line.
   */
  static final class JsonLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      var out = new StringWriter(192);
      try (JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("timestamp", TIME.format(r.getInstant()));
        g.writeStringField("level", r.getLevel().getName());
        g.writeStringField("logger", r.getLoggerName());
        g.writeStringField("thread", threadName(r));
        LogContext context = contextOf(r);
        if (context != null) {
          g.writeStringField("actor", context.actor().toString());
          if (context.traceId() != null) {
            g.writeStringField("traceId", context.traceId());
          }
          g.writeStringField("message", String.valueOf(r.getParameters()[1]));
        } else {
          g.writeStringField("message", formatMessage(r));
        }
        if (r.getThrown() != null) {
          g.writeStringField("exception", stackTrace(r.getThrown()));
        }
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a log record as JSON", e);
      }
      return out.append(System.lineSeparator()).toString();
    }
  }

  /** The actor and trace of a line a turn produced, or {@code null}. */
  private static LogContext contextOf(LogRecord r) {
    Object[] params = r.getParameters();
    return params != null
            && params.length == 2
            && params[0] instanceof LogContext c
            && LogContext.FORMAT.equals(r.getMessage())
        ? c
        : null;
  }

  /**
   * The name of the thread that logged: records are formatted on that thread unless a handler hands
   * them over, in which case only the id is known.
   */
  private static String threadName(LogRecord r) {
    Thread current = Thread.currentThread();
    return current.threadId() == r.getLongThreadID()
        ? current.getName().isEmpty() ? "thread-" + current.threadId() : current.getName()
        : "thread-" + r.getLongThreadID();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replace("\r", "").replace("\n", " | ");
  }

  private static String stackTrace(Throwable t) {
    var out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }
}
