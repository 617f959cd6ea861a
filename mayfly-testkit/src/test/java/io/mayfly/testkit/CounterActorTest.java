package io.mayfly.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed C counter (testdata/guests/c/counter.c) under the kit. */
class CounterActorTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static ActorTestKit counter() {
    return ActorTestKit.builder(Guests.COUNTER).address("counter/a").startingAt(START).build();
  }

  @Test
  void tellIncrementsTheCounter() {
    try (var kit = counter()) {
      TurnResult first = kit.tell("");
      assertThat(first.stateDiff().added()).containsOnlyKeys("n");
      assertThat(Guests.u32(first.stateAfter().get("n"))).isEqualTo(1);

      TurnResult second = kit.tell("");
      assertThat(second.stateDiff().changed()).containsOnlyKeys("n");
      assertThat(Guests.u32(second.stateDiff().changed().get("n").before())).isEqualTo(1);
      assertThat(Guests.u32(second.stateDiff().changed().get("n").after())).isEqualTo(2);
      assertThat(second.effects()).isEmpty();
    }
  }

  @Test
  void askRepliesWithTheNewCount() {
    try (var kit = counter()) {
      kit.tell("");
      AskResult ask = kit.ask("");
      assertThat(Guests.u32(ask.replyOrThrow())).isEqualTo(2);
      assertThat(ask.turn().kind()).isEqualTo(MessageKind.ASK);
      assertThat(ask.turn().reply())
          .hasValueSatisfying(r -> assertThat(Guests.u32(r)).isEqualTo(2));
      assertThat(ask.turn().replies()).hasSize(1);
    }
  }

  @Test
  void trapFailsTheTurnAndLeavesStateUnchanged() {
    try (var kit = counter()) {
      kit.tell("");

      TurnResult trapped = kit.tell("trap");

      assertThat(trapped.committed()).isFalse();
      assertThat(trapped.failure())
          .hasValueSatisfying(
              f -> {
                assertThat(f.reason().code()).isEqualTo("guest_trap");
                assertThat(f.message()).contains("counter/a");
              });
      assertThat(trapped.stateAfter()).isEqualTo(trapped.stateBefore());
      assertThat(trapped.stateDiff().isEmpty()).isTrue();
      assertThat(Guests.u32(kit.state("n").orElseThrow())).isEqualTo(1);

      AskResult ask = kit.ask("trap");
      assertThat(ask.failure())
          .hasValueSatisfying(
              e -> assertThat(((TurnFailedException) e).reason().code()).isEqualTo("guest_trap"));
      assertThat(Guests.u32(kit.ask("").replyOrThrow()))
          .as("a fresh instance after the trap")
          .isEqualTo(2);
    }
  }

  @Test
  void expiryTurnPublishesTheFinalCountAfterTheActorTtl() {
    try (var kit = counter()) {
      kit.tell("");
      kit.tell("");
      TurnResult ttl = kit.tell("ttl:500");
      assertThat(ttl.stateDiff().isEmpty()).isTrue();
      assertThat(kit.snapshot().orElseThrow().remainingTtl()).isEqualTo(Duration.ofMillis(500));

      assertThat(kit.advance(Duration.ofMillis(499))).isEmpty();
      List<TurnResult> expired = kit.advance(Duration.ofSeconds(10));

      assertThat(expired)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.kind()).isEqualTo(MessageKind.EXPIRE);
                assertThat(t.time()).isEqualTo(START.plusMillis(500));
                assertThat(t.stateBefore()).containsOnlyKeys("n");
                assertThat(t.stateAfter()).isEmpty();
                assertThat(t.publications())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.topic()).isEqualTo("expired/a");
                          assertThat(Guests.u32(p.payload())).isEqualTo(2);
                        });
              });
      assertThat(kit.state()).isEmpty();
      assertThat(kit.snapshot()).isEmpty();
      assertThat(Guests.u32(kit.ask("").replyOrThrow())).as("a fresh actor").isEqualTo(1);
    }
  }

  @Test
  void typeTtlExpiresAnIdleActor() {
    TypeConfig config = TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(5))).build();
    try (var kit =
        ActorTestKit.builder(Guests.read(Guests.COUNTER))
            .address("counter/b")
            .config(config)
            .startingAt(START)
            .build()) {
      kit.tell("");
      kit.advance(Duration.ofMinutes(4));
      kit.tell("");

      List<TurnResult> expired = kit.advance(Duration.ofHours(1));

      assertThat(expired).extracting(TurnResult::kind).containsExactly(MessageKind.EXPIRE);
      assertThat(expired.getFirst().time()).isEqualTo(START.plus(Duration.ofMinutes(9)));
      assertThat(expired.getFirst().publications().getFirst().topic()).isEqualTo("expired/b");
      assertThat(kit.now()).isEqualTo(START.plus(Duration.ofMinutes(64)));
    }
  }
}
