package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code mayfly cluster}: {@code GET /v1/cluster}. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Shows the cluster as the node at --url sees it: its members, the partitions each owns,"
            + " the actors whose state this member holds and its replication backlog (state writes"
            + " waiting for their backup). Needs the admin token when the node has tokens. A node"
            + " that is not a member of a cluster answers not_clustered (exit 1). With -o json: the"
            + " node's document.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class ClusterCommand extends ClientVerb {
  @Override
  void run(NodeClient node) {
    JsonNode body = node.getJson("/v1/cluster");
    if (json()) {
      printJson(body);
      return;
    }
    var out = out();
    out.printf(
        "cluster %s, seen from member %s (%s)%n",
        body.path("name").asText(), body.path("nodeId").asText(), body.path("address").asText());
    out.printf(
        "%d member(s), minimum %d: %s%n",
        body.path("members").size(),
        body.path("minimumSize").asInt(),
        body.path("quorum").asBoolean() ? "quorum" : "NO QUORUM");
    out.printf(
        "actors here: %d, replication backlog: %d%n",
        body.path("actors").asLong(), body.path("replicationBacklog").asLong());
    out.printf("%-24s %-22s %10s%n", "MEMBER", "ADDRESS", "PARTITIONS");
    for (JsonNode m : body.path("members")) {
      out.printf(
          "%-24s %-22s %10d%s%n",
          m.path("nodeId").asText(),
          m.path("address").asText(),
          m.path("partitions").asInt(),
          m.path("local").asBoolean() ? "  (this member)" : "");
    }
    out.printf("%-47s %10d%n", "partitions in the cluster", body.path("partitionCount").asInt());
  }
}
