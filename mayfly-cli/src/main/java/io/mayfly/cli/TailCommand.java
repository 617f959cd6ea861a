package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly tail TOPIC}: follows {@code GET /v1/topics/TOPIC/events}. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Prints publications on a topic filter as they happen, one per line: TOPIC PUBLISHER"
          + " PAYLOAD (text, or base64:...; the publisher is - from outside). Runs until Ctrl-C"
          + " or --count events. With -o json: each event's JSON as the node sent it, one per"
          + " line.",
      "Filters follow MQTT: + matches one segment, # the rest (alerts/+, sensors/#)."
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class TailCommand extends ClientVerb {
  @Parameters(index = "0", paramLabel = "TOPIC", description = "A topic or filter.")
  String topic;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  Integer count;

  @Option(names = "--json", description = "The same as -o json.")
  boolean json;

  @Override
  void run(NodeClient node) {
    if (count != null && count < 1) {
      throw usage("--count must be at least 1, was " + count);
    }
    int seen = 0;
    try (Stream<String> lines =
        node.eventLines("/v1/topics/" + NodeClient.topic(topic) + "/events")) {
      Iterator<String> it = lines.iterator();
      while ((count == null || seen < count) && it.hasNext()) {
        String line = it.next();
        if (line.startsWith(":")) {
          // A comment: "subscribed" once the node listens, then keep-alives.
          if (line.startsWith(":subscribed") || line.startsWith(": subscribed")) {
            spec.commandLine().getErr().println("listening on " + topic);
            spec.commandLine().getErr().flush();
          }
          continue;
        }
        if (line.startsWith("data:")) {
          print(line.substring(5).strip());
          seen++;
        }
      }
    }
  }

  private void print(String data) {
    if (json || json()) {
      out().println(data);
    } else {
      JsonNode e = NodeClient.json(data.getBytes(StandardCharsets.UTF_8));
      String publisher = e.path("publisher").isNull() ? "-" : e.path("publisher").asText();
      String payload =
          e.has("utf8") ? e.path("utf8").asText() : "base64:" + e.path("base64").asText();
      out().println(e.path("topic").asText() + " " + publisher + " " + payload);
    }
    out().flush();
  }
}
