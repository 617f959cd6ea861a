package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.testkit.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly recordings [TYPE[/ID]] [--export FILE]}: what the recorder keeps, from {@code GET
 * /v1/recordings[/TYPE[/ID]]}.
 */
@Command(
    name = "recordings",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Without an argument, lists what the turn recorder records and keeps per type. With"
            + " TYPE[/ID], lists the kept turns of the type or actor, numbered for 'mayfly replay"
            + " --turn'; --export writes them as a recording file (docs/recordings.md) for"
            + " 'mayfly test' or a JUnit test. Needs the admin token when the node has tokens.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class RecordingsCommand extends ClientVerb {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TYPE[/ID]",
      description = "A type or one actor, e.g. sensor/42.")
  String target;

  @Option(
      names = "--export",
      paramLabel = "FILE",
      description = "Write the kept turns, with the modules they ran, to FILE.")
  Path export;

  @Override
  void run(NodeClient node) {
    if (target == null) {
      if (export != null) {
        throw usage("--export needs a TYPE or TYPE/ID");
      }
      status(node.getJson("/v1/recordings"));
      return;
    }
    byte[] body = node.send("GET", RecordCommand.recordingPath(this, target), null, null);
    if (export != null) {
      try {
        Files.write(export, body);
      } catch (IOException e) {
        throw usage("cannot write " + export + ": " + e.getMessage());
      }
    }
    List<TurnRecord> turns = Recording.parse(body).turns();
    if (json()) {
      ArrayNode list = NodeClient.MAPPER.createArrayNode();
      for (int i = 0; i < turns.size(); i++) {
        list.add(summaryJson(i + 1, turns.get(i)));
      }
      ObjectNode doc = object().put("target", target);
      doc.set("turns", list);
      if (export != null) {
        doc.put("exported", export.toString());
      }
      printJson(doc);
      return;
    }
    for (int i = 0; i < turns.size(); i++) {
      out().println(summary(i + 1, turns.get(i)));
    }
    if (export != null) {
      out().println("exported " + turns.size() + " turn(s) to " + export);
    }
  }

  private void status(JsonNode body) {
    if (json()) {
      printJson(body);
      return;
    }
    if (body.path("types").isEmpty()) {
      out().println("nothing recorded");
    }
    for (JsonNode t : body.path("types")) {
      String what = t.path("wholeType").asBoolean() ? "recording every actor" : "";
      if (!t.path("actors").isEmpty()) {
        what = "recording " + t.path("actors").toString();
      }
      out()
          .printf(
              "%s: %s%s turns kept, %s bytes, %s dropped%n",
              t.path("type").asText(),
              what.isEmpty() ? "" : what + "; ",
              t.path("turns").asText(),
              t.path("bytes").asText(),
              t.path("dropped").asText());
    }
  }

  /** A turn's summary as JSON: the fields of {@link #summary}, the payload as {@link #bytes}. */
  static ObjectNode summaryJson(int n, TurnRecord t) {
    ObjectNode o =
        object()
            .put("turn", n)
            .put("time", Instant.ofEpochMilli(t.nowMillis()).toString())
            .put("address", t.address().toString())
            .put("kind", t.message().kind().name());
    o.set("payload", bytes(object(), t.message().payload()));
    o.put("committed", t.committed());
    if (!t.committed()) {
      o.put("reason", t.failure().reason().code());
    }
    return o.put("effects", t.effects().size());
  }

  /** One line per turn: number, time, actor, kind, payload, outcome, effect count. */
  static String summary(int n, TurnRecord t) {
    String payload = printable(t.message().payload());
    return n
        + "  "
        + Instant.ofEpochMilli(t.nowMillis())
        + "  "
        + t.address()
        + "  "
        + t.message().kind()
        + "  "
        + (payload != null && payload.length() <= 40
            ? payload
            : t.message().payload().length + " bytes")
        + "  "
        + (t.committed() ? "committed" : "FAILED " + t.failure().reason().code())
        + "  "
        + t.effects().size()
        + " effect(s)";
  }
}
