package io.mayfly.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mayfly send TYPE/ID DATA|@file}: {@code POST /v1/actors/TYPE/ID}. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Sends a one-way message to an actor of a running node; prints nothing when the node"
            + " accepted it (with -o json: {\"address\", \"accepted\": true}).",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class SendCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE/ID", description = "The actor, e.g. sensor/42.")
  String address;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DATA|@file",
      description = "The message: text, @path for a file's bytes, @- for stdin (default: empty).")
  String data;

  @Mixin IdempotencyKeyOption idempotency;

  @Override
  void run(NodeClient node) {
    String path = actorPath(address);
    node.send("POST", path, payload(data), "application/octet-stream", idempotency.key);
    if (json()) {
      printJson(object().put("address", address).put("accepted", true));
    }
  }
}
