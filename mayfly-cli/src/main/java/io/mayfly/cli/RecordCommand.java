package io.mayfly.cli;

import io.mayfly.runtime.Address;
import io.mayfly.wasm.MayflyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly record on|off TYPE[/ID]}: {@code PUT} or {@code DELETE /v1/recordings/TYPE[/ID]}.
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Switches the turn recorder on or off for a type (every actor of it) or one actor. Turns"
            + " kept so far stay; read them with 'mayfly recordings'. Failed turns are kept even"
            + " while recording is off. Needs the admin token when the node has tokens.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class RecordCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "on|off", description = "Switch recording on or off.")
  String switchTo;

  @Parameters(
      index = "1",
      paramLabel = "TYPE[/ID]",
      description = "A type (every actor of it), or one actor, e.g. sensor/42.")
  String target;

  @Override
  void run(NodeClient node) {
    boolean on =
        switch (switchTo) {
          case "on" -> true;
          case "off" -> false;
          default -> throw usage("expected 'on' or 'off', was '" + switchTo + "'");
        };
    String path = recordingPath(this, target);
    node.send(on ? "PUT" : "DELETE", path, new byte[0], "application/octet-stream");
    if (json()) {
      printJson(object().put("target", target).put("recording", on));
    } else {
      out().println("recording " + (on ? "on" : "off") + " for " + target);
    }
  }

  /** {@code /v1/recordings/TYPE} or {@code /v1/recordings/TYPE/ID} for a TYPE[/ID] argument. */
  static String recordingPath(ClientVerb verb, String target) {
    try {
      if (target.contains("/")) {
        Address a = Address.parse(target);
        return "/v1/recordings/" + NodeClient.segment(a.type()) + "/" + NodeClient.segment(a.id());
      }
      return "/v1/recordings/" + NodeClient.segment(Address.checkType(target));
    } catch (MayflyException e) {
      throw verb.usage("bad type or actor: " + e.getMessage());
    }
  }
}
