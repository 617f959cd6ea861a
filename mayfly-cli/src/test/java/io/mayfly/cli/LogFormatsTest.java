package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogFormatsTest {
  private static LogRecord record(String message, Object param, Throwable thrown) {
    var r = new LogRecord(Level.WARNING, message);
    r.setLoggerName("io.mayfly.test");
    r.setInstant(Instant.parse("2026-12-03T08:00:01.234Z"));
    r.setParameters(new Object[] {param});
    r.setThrown(thrown);
    return r;
  }

  @Test
  void textIsOneLinePerRecord() {
    String line =
        LogFormats.of(LogOptions.LogFormat.TEXT)
            .format(record("listening on {0}\nnow", 7070, null));
    assertThat(line.lines()).hasSize(1);
    assertThat(line)
        .isEqualTo(
            "2026-12-03T08:00:01.234Z WARNING io.mayfly.test ["
                + Thread.currentThread().getName()
                + "] listening on 7,070 | now"
                + System.lineSeparator());
  }

  @Test
  void textPutsAStackTraceOnTabIndentedLinesAfterTheRecordsLine() {
    String text =
        LogFormats.of(LogOptions.LogFormat.TEXT)
            .format(record("failed", null, new IllegalStateException("boom")));
    var lines = text.lines().toList();
    assertThat(lines.getFirst()).endsWith("failed: java.lang.IllegalStateException: boom");
    assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(l -> l.startsWith("\tat "));
  }

  @Test
  void jsonIsOneObjectPerLineWithEveryField() throws Exception {
    String line =
        LogFormats.of(LogOptions.LogFormat.JSON)
            .format(record("a \"quoted\" {0}", "x", new IllegalStateException("boom")));
    assertThat(line.lines()).hasSize(1);
    JsonNode json = NodeClient.MAPPER.readTree(line);
    assertThat(json.path("timestamp").asText()).isEqualTo("2026-12-03T08:00:01.234Z");
    assertThat(json.path("level").asText()).isEqualTo("WARNING");
    assertThat(json.path("logger").asText()).isEqualTo("io.mayfly.test");
    assertThat(json.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(json.path("message").asText()).isEqualTo("a \"quoted\" x");
    assertThat(json.path("exception").asText())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("\tat ");
  }

  @Test
  void theOptionSetsTheFormatOnTheRootHandlersUntilClosed() {
    Logger root = Logger.getLogger("");
    Handler[] handlers = root.getHandlers();
    assertThat(handlers).isNotEmpty();
    Formatter before = handlers[0].getFormatter();
    var options = new LogOptions();
    options.format = LogOptions.LogFormat.JSON;
    try (var _ = options.apply()) {
      assertThat(handlers[0].getFormatter()).isInstanceOf(LogFormats.JsonLine.class);
    }
    if (before != null) {
      assertThat(handlers[0].getFormatter()).isSameAs(before);
    }
  }
}
