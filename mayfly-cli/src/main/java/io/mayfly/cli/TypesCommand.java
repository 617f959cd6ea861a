package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Durations;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code mayfly types}: {@code GET /v1/types}. */
@Command(
    name = "types",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Lists the actor types deployed on a running node: name, version, TTL and module digest."
            + " Needs the admin token when the node has tokens. With -o json: the node's"
            + " {\"types\": [...]}.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class TypesCommand extends ClientVerb {
  @Override
  void run(NodeClient node) {
    JsonNode body = node.getJson("/v1/types");
    if (json()) {
      printJson(body);
      return;
    }
    JsonNode types = body.path("types");
    out().printf("%-24s %7s  %-22s %s%n", "TYPE", "VERSION", "TTL", "SHA256");
    for (JsonNode t : types) {
      JsonNode ttl = t.at("/config/ttl");
      String ttlText =
          ttl.path("policy").asText()
              + (ttl.path("policy").asText().equals("never")
                  ? ""
                  : ":" + Durations.format(Duration.ofMillis(ttl.path("durationMs").asLong())));
      out()
          .printf(
              "%-24s %7d  %-22s %s%n",
              t.path("type").asText(),
              t.path("version").asInt(),
              ttlText,
              t.path("sha256").asText());
    }
  }
}
