package io.mayfly.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.GuestLogLimit;
import io.mayfly.runtime.LogContext;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Checkout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Log lines of a turn carry its actor and trace; guest lines are rate-limited per actor. */
class ActorLogLinesTest {
  private final ManualClock clock = ManualClock.create();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final List<Logger> loggers =
      List.of(Logger.getLogger("mayfly.actor.probe"), Logger.getLogger("io.mayfly.runtime"));
  private Mayfly node;

  @BeforeEach
  void start() {
    for (Logger l : loggers) {
      l.addHandler(handler);
      l.setLevel(Level.ALL);
    }
    node =
        Mayfly.builder()
            .synchronous(true)
            .clock(clock)
            .tracing(true)
            .meterRegistry(registry)
            .guestLogLimit(new GuestLogLimit(100, 100))
            .guestLogLimit("probe", new GuestLogLimit(2, 3))
            .build();
    node.deploy("probe", Checkout.guest("probe"));
  }

  @AfterEach
  void stop() {
    node.close();
    for (Logger l : loggers) {
      l.removeHandler(handler);
      l.setLevel(null);
    }
  }

  private List<LogRecord> actorLines() {
    return records.stream().filter(r -> r.getLoggerName().equals("mayfly.actor.probe")).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static LogContext context(LogRecord r) {
    return (LogContext) r.getParameters()[0];
  }

  private static String text(LogRecord r) {
    return (String) r.getParameters()[1];
  }

  private double dropped() {
    var c = registry.find("mayfly.actor.log.dropped").tag("type", "probe").functionCounter();
    return c == null ? -1 : c.count();
  }

  @Test
  void aGuestLineCarriesTheActorAndTheTraceOfItsTurnInBothFormats() throws Exception {
    node.tell(Address.parse("probe/a"), bytes("log:hello"));

    LogRecord line = actorLines().getFirst();
    String traceId = node.tracing().recent(1).getFirst().traceId();
    assertThat(line.getMessage()).isEqualTo(LogContext.FORMAT);
    assertThat(context(line)).isEqualTo(new LogContext(Address.parse("probe/a"), traceId));
    assertThat(text(line)).isEqualTo("hello");
    assertThat(LogFormats.of(LogOptions.LogFormat.TEXT).format(line))
        .contains(" INFO mayfly.actor.probe [")
        .endsWith("] probe/a trace=" + traceId + ": hello" + System.lineSeparator());
    JsonNode json =
        NodeClient.MAPPER.readTree(LogFormats.of(LogOptions.LogFormat.JSON).format(line));
    assertThat(json.path("actor").asText()).isEqualTo("probe/a");
    assertThat(json.path("traceId").asText()).isEqualTo(traceId);
    assertThat(json.path("message").asText()).isEqualTo("hello");
  }

  @Test
  void theNodesLineAboutAFailedTurnCarriesTheActorAndTrace() {
    node.tell(Address.parse("probe/f"), bytes("trap"));

    LogRecord failed =
        records.stream()
            .filter(r -> r.getLoggerName().equals("io.mayfly.runtime.TurnFailures"))
            .findFirst()
            .orElseThrow();
    assertThat(context(failed).actor()).isEqualTo(Address.parse("probe/f"));
    assertThat(context(failed).traceId()).isEqualTo(node.tracing().recent(1).getFirst().traceId());
    assertThat(text(failed)).contains("guest_trap");
  }

  @Test
  void linesOverTheActorsLimitAreDroppedCountedAndSummarized() {
    node.recorder().start(Address.parse("probe/a"));
    node.tell(Address.parse("probe/a"), bytes("log:1;log:2;log:3;log:4;log:5"));
    node.tell(Address.parse("probe/other"), bytes("log:x"));

    assertThat(actorLines())
        .extracting(ActorLogLinesTest::text)
        .containsExactly(
            "1", "2", "3", "1 log line dropped over the actor's limit of 2 lines/s (burst 3)", "x");
    assertThat(dropped()).isEqualTo(2);
    assertThat(actorLines().get(3).getLevel()).isEqualTo(Level.WARNING);

    // Half a second refills one token: the line goes out after the summary of what was left.
    clock.advance(Duration.ofMillis(500));
    node.tell(Address.parse("probe/a"), bytes("log:6;log:7"));
    assertThat(actorLines())
        .extracting(ActorLogLinesTest::text)
        .endsWith("1 log line dropped over the actor's limit of 2 lines/s (burst 3)", "6");
    assertThat(dropped()).isEqualTo(3);

    // The turn keeps every line in its effects: the test kit and recordings see them all.
    assertThat(
            node.recorder().recorded(Address.parse("probe/a")).getFirst().effects().stream()
                .filter(e -> e instanceof Effect.Log))
        .hasSize(5);
  }

  @Test
  void aLineBelowTheLoggersLevelIsNotChargedToTheLimit() {
    Logger.getLogger("mayfly.actor.probe").setLevel(Level.WARNING);
    node.tell(Address.parse("probe/a"), bytes("log:1;log:2;log:3;log:4;log:5"));
    Logger.getLogger("mayfly.actor.probe").setLevel(Level.ALL);
    node.tell(Address.parse("probe/a"), bytes("log:6"));
    assertThat(actorLines()).extracting(ActorLogLinesTest::text).containsExactly("6");
    assertThat(dropped()).isZero();
  }
}
