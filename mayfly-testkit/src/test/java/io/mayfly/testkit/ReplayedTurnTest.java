package io.mayfly.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.TurnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Picking an actor's kept turn and replaying it: what `mayfly replay` and the HTTP route share. */
class ReplayedTurnTest {
  private static final Address A = Address.parse("counter/a");
  private static final Address B = Address.parse("counter/b");

  /** Three turns of counter/a and one of counter/b between them. */
  private static List<TurnRecord> turns() {
    try (var a = ActorTestKit.builder(Guests.COUNTER).address("counter/a").build();
        var b = ActorTestKit.builder(Guests.COUNTER).address("counter/b").build()) {
      TurnRecord a1 = a.tell("").record();
      TurnRecord b1 = b.tell("").record();
      TurnRecord a2 = a.tell("").record();
      TurnRecord a3 = a.ask("").turn().record();
      return List.of(a1, b1, a2, a3);
    }
  }

  private static byte[] counter() {
    try {
      return Files.readAllBytes(Guests.COUNTER);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theLatestTurnOfTheActorByDefaultAndTheNthWhenAsked() {
    List<TurnRecord> turns = turns();
    ReplayedTurn latest = ReplayedTurn.of(turns, A, null, t -> counter());
    assertThat(latest.turn()).isEqualTo(3);
    assertThat(latest.turns()).isEqualTo(3);
    assertThat(latest.comparison().recorded().record()).isSameAs(turns.get(3));
    assertThat(latest.comparison().reproduced()).isTrue();

    ReplayedTurn second = ReplayedTurn.of(turns, A, 2, t -> counter());
    assertThat(second.comparison().recorded().record()).isSameAs(turns.get(2));
    assertThat(second.toString()).startsWith("turn 2 of 3 of counter/a\n");

    assertThat(ReplayedTurn.of(turns, B, null, t -> counter()).turns()).isEqualTo(1);
  }

  @Test
  void theJsonCarriesTheComparisonAndBothTurnsInTheFileFormat() throws IOException {
    List<TurnRecord> turns = turns();
    byte[] other = Guests.LEDGER;
    JsonNode json =
        RecordingCodec.MAPPER.readTree(ReplayedTurn.of(turns, A, 1, t -> other).toJson());
    assertThat(json.path("actor").asText()).isEqualTo("counter/a");
    assertThat(json.path("turn").asInt()).isEqualTo(1);
    assertThat(json.path("turns").asInt()).isEqualTo(3);
    assertThat(json.path("reproduced").asBoolean()).isFalse();
    assertThat(json.path("differences")).isNotEmpty();
    // Compared as parsed JSON (a tree built in memory keeps Java's number types).
    JsonNode expected =
        RecordingCodec.MAPPER.readTree(
            RecordingCodec.MAPPER.writeValueAsBytes(RecordingCodec.turn(turns.get(0))));
    assertThat(json.path("recorded")).isEqualTo(expected);
    assertThat(json.path("replayed").path("address").asText()).isEqualTo("counter/a");
  }

  @Test
  void aMissingTurnIsNamed() {
    List<TurnRecord> turns = turns();
    assertThatThrownBy(() -> ReplayedTurn.of(turns, Address.parse("counter/z"), null, t -> null))
        .isInstanceOf(NoSuchTurnException.class)
        .hasMessageContaining("no recorded turn of counter/z");
    assertThatThrownBy(() -> ReplayedTurn.of(turns, A, 4, t -> null))
        .isInstanceOf(NoSuchTurnException.class)
        .hasMessage("the turn must be 1..3 (the kept turns of counter/a), was 4")
        .extracting(e -> ((NoSuchTurnException) e).code())
        .isEqualTo("no_such_turn");
    assertThatThrownBy(() -> ReplayedTurn.of(turns, A, 0, t -> null))
        .isInstanceOf(NoSuchTurnException.class);
  }
}
