package io.mayfly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mayfly state TYPE/ID}: {@code GET /v1/actors/TYPE/ID/state}. */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Prints an actor's short-term state as JSON: entries (base64, and utf8 when printable),"
            + " remaining TTLs (remainingTtl as a duration, remainingTtlMs in ms). Exit 1"
            + " (no_state) when it has none. Needs the admin token when the node has tokens."
            + " With -o json: the same document on one line.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class StateCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE/ID", description = "The actor, e.g. sensor/42.")
  String address;

  @Override
  void run(NodeClient node) {
    JsonNode state = node.getJson(actorPath(address) + "/state");
    if (json()) {
      printJson(state);
      return;
    }
    try {
      out().println(NodeClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }
}
