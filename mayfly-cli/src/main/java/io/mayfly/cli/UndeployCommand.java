package io.mayfly.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mayfly undeploy TYPE}: {@code DELETE /v1/types/TYPE}. */
@Command(
    name = "undeploy",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Removes an actor type from a running node and drops its actors' state. Needs the admin"
            + " token when the node has tokens.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class UndeployCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE", description = "The actor type.")
  String type;

  @Override
  void run(NodeClient node) {
    node.send("DELETE", "/v1/types/" + NodeClient.segment(type), null, null);
    if (json()) {
      printJson(object().put("type", type).put("undeployed", true));
    } else {
      out().println("undeployed " + type);
    }
  }
}
