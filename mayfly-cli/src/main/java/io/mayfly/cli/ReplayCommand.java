package io.mayfly.cli;

import io.mayfly.runtime.Address;
import io.mayfly.testkit.NoSuchTurnException;
import io.mayfly.testkit.Recording;
import io.mayfly.testkit.ReplayedTurn;
import io.mayfly.wasm.MayflyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    byte[] code = module != null ? TestCommand.readModule(this, module) : null;
    ReplayedTurn replayed;
    try {
      replayed =
          ReplayedTurn.of(
              source.turns(),
              actor,
              turn,
              t ->
                  code != null
                      ? code
                      : source
                          .module(t.type().module().sha256())
                          .orElseThrow(
                              () ->
                                  usage(
                                      "the recording does not carry the module that ran the turn;"
                                          + " give it with --module")));
    } catch (NoSuchTurnException e) {
      throw usage(e.getMessage() + "; see 'mayfly recordings " + actor + "'");
    } catch (MayflyException e) {
      throw usage("cannot run the module: " + e.getMessage());
    }
    if (json()) {
      out().println(new String(replayed.toJson(), StandardCharsets.UTF_8));
      return;
    }
    out().println(replayed);
  }
}
