package io.mayfly.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.TurnRecord;
import java.util.List;
import java.util.function.Function;

/**
 * One kept turn of an actor replayed and compared with its recording: which turn it was among the
 * actor's kept turns, and the comparison. What {@code mayfly replay} prints and the node's replay
 * route answers (docs/recordings.md).
 *
 * @param actor the actor
 * @param turn which of its kept turns, 1 the oldest
 * @param turns how many of its turns are kept
 * @param comparison the recorded turn beside the replayed one
 */
public record ReplayedTurn(Address actor, int turn, int turns, TurnComparison comparison) {

  /**
   * Replays one kept turn of {@code actor}.
   *
   * @param recorded kept turns, oldest first; those of other actors are passed over
   * @param turn which of the actor's turns, 1 the oldest; {@code null} for the latest
   * @param module the module to run the chosen turn on (the one that ran it, or new code); may
   *     throw a typed error saying why there is none
   * @throws NoSuchTurnException if the actor has no kept turn, or {@code turn} is outside them
   * @throws io.mayfly.wasm.InvalidModuleException if the module is not acceptable Wasm
   * @throws io.mayfly.wasm.AbiViolationException if it does not follow the actor ABI
   */
  public static ReplayedTurn of(
      List<TurnRecord> recorded, Address actor, Integer turn, Function<TurnRecord, byte[]> module) {
    List<TurnRecord> own = recorded.stream().filter(t -> t.address().equals(actor)).toList();
    if (own.isEmpty()) {
      throw new NoSuchTurnException(
          "no recorded turn of " + actor + " (switch recording on for it first)");
    }
    int n = turn == null ? own.size() : turn;
    if (n < 1 || n > own.size()) {
      throw new NoSuchTurnException(
          "the turn must be 1.." + own.size() + " (the kept turns of " + actor + "), was " + n);
    }
    TurnRecord chosen = own.get(n - 1);
    return new ReplayedTurn(actor, n, own.size(), Replay.compare(chosen, module.apply(chosen)));
  }

  /**
   * The replay as JSON: {@code actor}, {@code turn}, {@code turns}, {@code reproduced}, {@code
   * differences} (one line per part that differs), and {@code recorded} and {@code replayed}, each
   * a turn in the recording file's format (docs/recordings.md).
   */
  public byte[] toJson() {
    ObjectNode n = RecordingCodec.MAPPER.createObjectNode();
    n.put("actor", actor.toString()).put("turn", turn).put("turns", turns);
    n.put("reproduced", comparison.reproduced());
    comparison.differences().forEach(n.putArray("differences")::add);
    n.set("recorded", RecordingCodec.turn(comparison.recorded().record()));
    n.set("replayed", RecordingCodec.turn(comparison.replayed().record()));
    try {
      return RecordingCodec.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new TestKitException("cannot write the replay: " + e.getMessage(), e);
    }
  }

  /** The turn's place among the actor's kept turns, then the comparison. */
  @Override
  public String toString() {
    return "turn " + turn + " of " + turns + " of " + actor + "\n" + comparison;
  }
}
