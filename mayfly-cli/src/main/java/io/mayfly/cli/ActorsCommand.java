package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly actors TYPE}: {@code GET /v1/actors/TYPE}. */
@Command(
    name = "actors",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Lists the ids of a type's actors that have state, one per line. Needs the admin token"
            + " when the node has tokens. With -o json: {\"type\", \"offset\", \"limit\","
            + " \"actors\": [id...]}.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class ActorsCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE", description = "The actor type.")
  String type;

  @Option(
      names = "--offset",
      defaultValue = "0",
      description = "Skip this many (default: ${DEFAULT-VALUE}).")
  int offset;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  void run(NodeClient node) {
    JsonNode page =
        node.getJson(
            "/v1/actors/" + NodeClient.segment(type) + "?offset=" + offset + "&limit=" + limit);
    if (json()) {
      printJson(page);
      return;
    }
    for (JsonNode id : page.path("actors")) {
      out().println(id.asText());
    }
  }
}
