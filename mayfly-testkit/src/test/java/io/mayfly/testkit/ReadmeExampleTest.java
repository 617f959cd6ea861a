package io.mayfly.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of README.md, verbatim, so it stays true. */
class ReadmeExampleTest {
  @Test
  void countsAndFlushesOnExpiry() {
    TypeConfig config = TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(5))).build();
    try (ActorTestKit kit =
        ActorTestKit.builder(Path.of("../testdata/guests/wasm/counter.wasm"))
            .address("counter/a")
            .config(config)
            .startingAt(Instant.parse("2026-01-01T00:00:00Z"))
            .build()) {

      TurnResult first = kit.tell(""); // runs the turn, returns its record
      assertThat(first.committed()).isTrue();
      assertThat(first.stateDiff().added()).containsOnlyKeys("n");

      AskResult ask = kit.ask(""); // the turn and its reply
      assertThat(ask.replyOrThrow()).containsExactly(2, 0, 0, 0);

      TurnResult trap = kit.tell("trap"); // a failed turn changes nothing
      assertThat(trap.failure().orElseThrow().reason().code()).isEqualTo("guest_trap");
      assertThat(trap.stateDiff().isEmpty()).isTrue();

      List<TurnResult> fired = kit.advance(Duration.ofMinutes(6)); // past the TTL
      assertThat(fired)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.kind()).isEqualTo(MessageKind.EXPIRE);
                assertThat(t.publications().getFirst().topic()).isEqualTo("expired/a");
              });
      assertThat(kit.state()).isEmpty();
    }
  }

  @Test
  void turnRendersAsInTheReadme() {
    try (var kit =
        ActorTestKit.builder(Guests.GATEWAY)
            .address("svc/a")
            .startingAt(Instant.parse("2030-05-01T12:00:00Z"))
            .build()) {
      assertThat(kit.tell("order-1").toString())
          .isEqualTo(
              """
              TELL to svc/a: "order-1" at 2030-05-01T12:00:00Z
                committed
                (no state change)
                log INFO handling
                send audit/log "order-1"
                ask db/main "order-1" (correlation 1, timeout PT0.2S)
                publish orders/new "order-1\"""");
    }
  }
}
