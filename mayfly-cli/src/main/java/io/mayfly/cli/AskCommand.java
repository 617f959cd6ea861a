package io.mayfly.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly ask TYPE/ID DATA|@file}: {@code POST /v1/actors/TYPE/ID/ask}. */
@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Sends a request to an actor of a running node and prints its reply: as text when it is"
            + " printable UTF-8, otherwise as base64:... (or the raw bytes with --raw). With -o"
            + " json: {\"address\", \"base64\", \"utf8\" when printable}.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class AskCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE/ID", description = "The actor, e.g. sensor/42.")
  String address;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DATA|@file",
      description = "The request: text, @path for a file's bytes, @- for stdin (default: empty).")
  String data;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long to wait for the reply, e.g. 500ms, 5s (default: the type's askTimeout).")
  String timeout;

  @Option(names = "--raw", description = "Write the reply's bytes as they are, without a newline.")
  boolean raw;

  @Mixin IdempotencyKeyOption idempotency;

  @Override
  void run(NodeClient node) {
    if (raw && json()) {
      throw usage("--raw and -o json exclude each other");
    }
    String path = actorPath(address) + "/ask";
    if (timeout != null) {
      path += "?timeout=" + NodeClient.query(duration("--timeout", timeout));
    }
    byte[] reply =
        node.send("POST", path, payload(data), "application/octet-stream", idempotency.key);
    if (json()) {
      printJson(bytes(object().put("address", address), reply));
    } else if (raw) {
      out().flush();
      System.out.write(reply, 0, reply.length);
      System.out.flush();
    } else {
      printBytes(reply);
    }
  }
}
