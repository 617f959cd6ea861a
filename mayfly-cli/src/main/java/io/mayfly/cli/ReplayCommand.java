package io.mayfly.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.testkit.Recording;
import io.mayfly.testkit.TurnComparison;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly replay TYPE/ID [--turn N] [--module FILE.wasm] [--recording FILE]}: re-executes a
 * recorded turn in the test kit and shows it beside what happened.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Re-executes a recorded turn of an actor on a fresh instance, with the recorded state,"
            + " message, time and host answers, and prints it beside what happened. The turn comes"
            + " from the node's recorder (see 'mayfly record') or from --recording FILE. Without"
            + " --module it runs the module that ran the turn and must reproduce it exactly; with"
            + " --module it runs new code and prints the differences (state, sends, asks, replies,"
            + " publications, timers, subscriptions, logs). Exit 0 when the replay ran.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class ReplayCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE/ID", description = "The actor, e.g. sensor/42.")
  String address;

  @Option(
      names = "--turn",
      paramLabel = "N",
      description = "Which kept turn of the actor, 1 the oldest (default: the latest).")
  Integer turn;

  @Option(names = "--module", paramLabel = "FILE.wasm", description = "Replay against this module.")
  Path module;

  @Option(
      names = "--recording",
      paramLabel = "FILE",
      description = "Take the turn from this recording file instead of the node.")
  Path recording;

  @Override
  void run(NodeClient node) {
    if (!address.contains("/")) {
      throw usage("expected an actor TYPE/ID, was '" + address + "'");
    }
    String path = RecordCommand.recordingPath(this, address); // checks the address
    Address actor = Address.parse(address);
    Recording source =
        recording != null
            ? TestCommand.load(this, recording)
            : Recording.parse(node.send("GET", path, null, null));
    List<TurnRecord> turns =
        source.turns().stream().filter(t -> t.address().equals(actor)).toList();
    if (turns.isEmpty()) {
      throw usage("no recorded turn of " + actor + " (switch recording on with 'mayfly record')");
    }
    int n = turn == null ? turns.size() : turn;
    if (n < 1 || n > turns.size()) {
      throw usage("--turn must be 1.." + turns.size() + ", was " + n);
    }
    TurnRecord recorded = turns.get(n - 1);
    byte[] code =
        module != null
            ? TestCommand.readModule(this, module)
            : source
                .module(recorded.type().module().sha256())
                .orElseThrow(
                    () ->
                        usage(
                            "the recording does not carry the module that ran the turn;"
                                + " give it with --module"));
    TurnComparison c = TestCommand.compare(this, recorded, code);
    if (json()) {
      ObjectNode doc =
          object()
              .put("address", actor.toString())
              .put("turn", n)
              .put("turns", turns.size())
              .put("reproduced", c.reproduced());
      c.differences().forEach(doc.putArray("differences")::add);
      doc.put("comparison", c.toString());
      printJson(doc);
      return;
    }
    out().println("turn " + n + " of " + turns.size() + " of " + actor);
    out().println(c);
  }
}
