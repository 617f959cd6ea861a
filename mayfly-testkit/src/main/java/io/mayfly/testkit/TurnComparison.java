package io.mayfly.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.TurnRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A recorded turn beside the same turn replayed: whether the replay reproduced it exactly, and if
 * not, what differs, by part (outcome, state, sends, asks, replies, publications, timers,
 * subscriptions, logs).
 *
 * @param recorded what happened
 * @param replayed what the replay did
 * @param differences one line per part that differs; empty when the replay reproduced the turn
 */
public record TurnComparison(TurnResult recorded, TurnResult replayed, List<String> differences) {
  public TurnComparison {
    differences = List.copyOf(differences);
  }

  /** Compares a replayed turn with its recording. */
  public static TurnComparison of(TurnRecord recorded, TurnRecord replayed) {
    var out = new ArrayList<String>();
    var was = new TurnResult(recorded);
    var now = new TurnResult(replayed);
    String outcomeWas = outcome(recorded);
    String outcomeNow = outcome(replayed);
    if (!outcomeWas.equals(outcomeNow)) {
      out.add("outcome: recorded " + outcomeWas + ", replayed " + outcomeNow);
    }
    StateDiff values = StateDiff.between(was.stateAfter(), now.stateAfter());
    if (!values.isEmpty()) {
      out.add("state after (recorded -> replayed): " + values.toString().replace("\n", "; "));
    } else if (!Objects.equals(
        RecordingCodec.state(recorded.after()), RecordingCodec.state(replayed.after()))) {
      out.add(
          "state after (TTLs, timers or subscriptions): recorded "
              + RecordingCodec.state(recorded.after())
              + ", replayed "
              + RecordingCodec.state(replayed.after()));
    }
    part(out, "sends", recorded, replayed, e -> e instanceof Effect.Send);
    part(out, "asks", recorded, replayed, e -> e instanceof Effect.Ask);
    part(out, "replies", recorded, replayed, e -> e instanceof Effect.Reply);
    part(out, "publications", recorded, replayed, e -> e instanceof Effect.Publish);
    part(
        out,
        "timers",
        recorded,
        replayed,
        e -> e instanceof Effect.SetTimer || e instanceof Effect.CancelTimer);
    part(
        out,
        "subscriptions",
        recorded,
        replayed,
        e -> e instanceof Effect.Subscribe || e instanceof Effect.Unsubscribe);
    part(out, "logs", recorded, replayed, e -> e instanceof Effect.Log);
    return new TurnComparison(was, now, out);
  }

  private static String outcome(TurnRecord r) {
    return r.failure() == null ? "committed" : "failed (" + r.failure().reason().code() + ")";
  }

  private static void part(
      List<String> out, String name, TurnRecord was, TurnRecord now, Predicate<Effect> which) {
    List<JsonNode> a = encoded(was.effects(), which);
    List<JsonNode> b = encoded(now.effects(), which);
    if (!a.equals(b)) {
      out.add(name + ": recorded " + a + ", replayed " + b);
    }
  }

  private static List<JsonNode> encoded(List<Effect> effects, Predicate<Effect> which) {
    var out = new ArrayList<JsonNode>();
    for (Effect e : effects) {
      if (which.test(e)) {
        out.add(RecordingCodec.effect(e));
      }
    }
    return out;
  }

  /** Whether the replay did exactly what was recorded. */
  public boolean reproduced() {
    return differences.isEmpty();
  }

  /** Both turns, and the differences if any. */
  @Override
  public String toString() {
    var s = new StringBuilder();
    s.append("recorded:\n").append(indent(recorded.toString()));
    s.append("\nreplayed:\n").append(indent(replayed.toString()));
    if (reproduced()) {
      s.append("\nreproduced exactly");
    } else {
      s.append("\ndifferences:");
      differences.forEach(d -> s.append("\n  ").append(d));
    }
    return s.toString();
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }
}
