package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly deploy TYPE FILE.wasm}: {@code PUT /v1/types/TYPE}. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Deploys a Wasm module as an actor type on a running node, or redeploys it (actors keep"
          + " their state). Needs the admin token when the node has tokens. With -o json: the"
          + " type's description as the node answered it.",
      "Durations: 500ms, 5s, 10m, 1h30m, 2d (units d h m s ms us ns, largest first) or ISO-8601"
          + " (PT5S). Defaults: docs/configuration.md."
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class DeployCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TYPE", description = "The actor type, e.g. sensor.")
  String type;

  @Parameters(index = "1", paramLabel = "FILE.wasm", description = "The module.")
  Path module;

  @Option(
      names = "--ttl",
      paramLabel = "POLICY[:DURATION]",
      description =
          "State TTL: after_access:10m, after_write:30s, at_deadline:1h or never"
              + " (default after_access:10m).")
  String ttl;

  @Option(
      names = "--mailbox-capacity",
      paramLabel = "N",
      description = "Queued messages per actor.")
  String mailboxCapacity;

  @Option(names = "--turn-timeout", paramLabel = "DURATION", description = "Deadline of a turn.")
  String turnTimeout;

  @Option(names = "--ask-timeout", paramLabel = "DURATION", description = "Default ask timeout.")
  String askTimeout;

  @Option(names = "--max-message-bytes", paramLabel = "N", description = "Largest message.")
  String maxMessageBytes;

  @Option(names = "--max-state-bytes", paramLabel = "N", description = "Largest actor state.")
  String maxStateBytes;

  @Option(
      names = "--max-memory-pages",
      paramLabel = "N",
      description = "Linear memory cap in 64 KiB pages.")
  String maxMemoryPages;

  @Option(
      names = "--max-effects-per-turn",
      paramLabel = "N",
      description = "Sends, publications, timers and log lines one turn may make.")
  String maxEffectsPerTurn;

  @Option(
      names = "--subscribe",
      paramLabel = "FILTER:ID_TEMPLATE",
      description = "Routes a topic filter to actors of this type, e.g. alerts/+:{1}. Repeatable.")
  List<String> subscriptions = new ArrayList<>();

  @Override
  void run(NodeClient node) {
    byte[] bytes = payload("@" + module);
    var query = new ArrayList<String>();
    add(query, "ttl", ttl);
    add(query, "mailboxCapacity", mailboxCapacity);
    add(query, "turnTimeout", duration("--turn-timeout", turnTimeout));
    add(query, "askTimeout", duration("--ask-timeout", askTimeout));
    add(query, "maxMessageBytes", maxMessageBytes);
    add(query, "maxStateBytes", maxStateBytes);
    add(query, "maxMemoryPages", maxMemoryPages);
    add(query, "maxEffectsPerTurn", maxEffectsPerTurn);
    subscriptions.forEach(s -> add(query, "subscribe", s));
    String path =
        "/v1/types/"
            + NodeClient.segment(type)
            + (query.isEmpty() ? "" : "?" + String.join("&", query));
    JsonNode info = NodeClient.json(node.send("PUT", path, bytes, "application/wasm"));
    if (json()) {
      printJson(info);
      return;
    }
    out()
        .printf(
            "deployed %s version %d (sha256 %s, %d bytes)%n",
            info.path("type").asText(),
            info.path("version").asInt(),
            info.path("sha256").asText(),
            info.path("sizeBytes").asInt());
  }

  private static void add(List<String> query, String name, String value) {
    if (value != null) {
      query.add(name + "=" + NodeClient.query(value));
    }
  }
}
