package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FailureLogTest {
  /** Keeps what is logged. */
  private static final class Lines implements System.Logger {
    final List<String> lines = new ArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(java.text.MessageFormat.format(format, params));
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      lines.add(msgSupplier.get());
    }
  }

  private final Lines lines = new Lines();
  private final FailureLog log = new FailureLog(lines);
  private final TurnRecord.Failure trap = new TurnRecord.Failure(FailureReason.GUEST_TRAP, "boom");

  @Test
  void aFailureIsLoggedWithTheActorAndTheReason() {
    log.failed("sensor", Address.parse("sensor/1"), trap, 0, null);
    assertThat(lines.lines).containsExactly("sensor/1: turn failed (guest_trap): boom");
  }

  @Test
  void aFailureInATraceNamesTheTrace() {
    var trace = TraceContext.newTrace();
    log.failed("sensor", Address.parse("sensor/1"), trap, 0, trace);
    assertThat(lines.lines)
        .containsExactly("sensor/1 trace=" + trace.traceId() + ": turn failed (guest_trap): boom");
  }

  @Test
  void eachTypeLogsAtMostOneLinePerIntervalAndSaysHowManyItLeftOut() {
    for (int i = 0; i < 5; i++) {
      log.failed("sensor", Address.parse("sensor/" + i), trap, i, null);
    }
    log.failed("other", Address.parse("other/1"), trap, 5, null);
    assertThat(lines.lines).hasSize(2);
    log.failed("sensor", Address.parse("sensor/9"), trap, FailureLog.INTERVAL_NANOS, null);
    assertThat(lines.lines)
        .last()
        .asString()
        .contains("sensor/9")
        .contains("[4 more failed turns of type sensor not logged]");
  }
}
