package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testkit.Recording;
import io.mayfly.testkit.Replay;
import io.mayfly.testkit.TurnComparison;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recorder's admin routes over a real socket: switching, status and export. */
class RecordingRoutesTest {
  private MayflyHttpServer server;
  private TestClient http;

  @BeforeEach
  void start() {
    Mayfly node = Mayfly.builder().workers(2).build();
    server = MayflyHttpServer.builder().node(node).port(0).build().start();
    http = new TestClient(server.url(), null);
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void ask(String address, String script) {
    var r = http.post("/v1/actors/" + address + "/ask", script);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
  }

  @Test
  void anActorSwitchedOnIsRecordedAndItsTurnsExportAsAReplayableRecording() {
    assertThat(http.put("/v1/recordings/probe/a", new byte[0]).statusCode()).isEqualTo(204);
    ask("probe/a", "put:k=v");
    ask("probe/b", "put:k=w");
    ask("probe/a", "get:k");
    awaitKeptTurns(2);
    JsonNode status = json(http.get("/v1/recordings"));
    assertThat(status.path("types").get(0).path("type").asText()).isEqualTo("probe");
    assertThat(status.path("types").get(0).path("actors").get(0).asText()).isEqualTo("probe/a");
    assertThat(status.path("types").get(0).path("turns").asInt()).isEqualTo(2);

    var export = http.get("/v1/recordings/probe/a");
    assertThat(export.statusCode()).isEqualTo(200);
    Recording recording = Recording.parse(export.body());
    assertThat(recording.turns()).hasSize(2);
    assertThat(recording.replay()).allSatisfy(c -> assertThat(c.reproduced()).as("%s", c).isTrue());
    assertThat(recording.replay().get(1).recorded().replyUtf8()).contains("v");

    assertThat(http.delete("/v1/recordings/probe/a").statusCode()).isEqualTo(204);
    ask("probe/a", "put:k=x");
    assertThat(Recording.parse(http.get("/v1/recordings/probe?modules=false").body()).turns())
        .hasSize(2); // the turn after recording stopped was not kept
  }

  @Test
  void aFailedTurnIsExportableWithoutRecordingSwitchedOn() {
    var r = http.post("/v1/actors/probe/a/ask", "trap");
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
    // The failed turn is kept right after its answer left.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> Recording.parse(http.get("/v1/recordings/probe").body()).turns().size() == 1);
    Recording recording = Recording.parse(http.get("/v1/recordings/probe").body());
    assertThat(recording.turns()).singleElement();
    TurnComparison replayed = recording.replay().getFirst();
    assertThat(replayed.reproduced()).as("%s", replayed).isTrue();
    assertThat(replayed.replayed().failure()).isPresent();
    assertThat(new String(replayed.recorded().payload(), StandardCharsets.UTF_8)).isEqualTo("trap");
  }

  /** Records two turns of probe/a: put:k=v, then get:k. */
  private void recordTwoTurns() {
    assertThat(http.put("/v1/recordings/probe/a", new byte[0]).statusCode()).isEqualTo(204);
    ask("probe/a", "put:k=v");
    ask("probe/a", "get:k");
    awaitKeptTurns(2);
  }

  /** A turn is kept right after its outputs (the reply) left: waits for the last one. */
  private void awaitKeptTurns(int turns) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                json(http.get("/v1/recordings")).path("types").get(0).path("turns").asInt()
                    == turns);
  }

  @Test
  void replayingAKeptTurnOnTheModuleThatRanItReproducesIt() {
    recordTwoTurns();
    var r = http.post("/v1/recordings/probe/a/replay?turn=1", new byte[0]);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode replay = json(r);
    assertThat(replay.path("actor").asText()).isEqualTo("probe/a");
    assertThat(replay.path("turn").asInt()).isEqualTo(1);
    assertThat(replay.path("turns").asInt()).isEqualTo(2);
    assertThat(replay.path("reproduced").asBoolean()).isTrue();
    assertThat(replay.path("differences").size()).isZero();
    assertThat(replay.path("recorded")).isEqualTo(replay.path("replayed"));
    assertThat(replay.path("recorded").path("message").path("kind").asText()).isEqualTo("ask");

    // Without ?turn, the latest: the get.
    JsonNode latest = json(http.post("/v1/recordings/probe/a/replay", new byte[0]));
    assertThat(latest.path("turn").asInt()).isEqualTo(2);
    assertThat(latest.path("reproduced").asBoolean()).isTrue();
  }

  @Test
  void replayingAgainstAnUploadedModuleShowsTheDifference() {
    recordTwoTurns();
    var r = http.post("/v1/recordings/probe/a/replay?turn=1", guest("counter"));
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode replay = json(r);
    assertThat(replay.path("reproduced").asBoolean()).isFalse();
    assertThat(replay.path("differences").size()).isPositive();
    // The same comparison the test kit and `mayfly replay` make.
    Recording recording = Recording.parse(http.get("/v1/recordings/probe/a").body());
    TurnComparison expected = Replay.compare(recording.turns().get(0), guest("counter"));
    List<String> differences = new java.util.ArrayList<>();
    replay.path("differences").forEach(d -> differences.add(d.asText()));
    assertThat(differences).isEqualTo(expected.differences());
    assertThat(replay.path("recorded").path("after").path("entries").has("k")).isTrue();
  }

  @Test
  void aReplayOfNoKeptTurnOrOfABadModuleIsRefusedWithAReason() {
    var none = http.post("/v1/recordings/probe/zz/replay", new byte[0]);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).path("error").asText()).isEqualTo("no_such_turn");
    assertThat(json(none).path("message").asText()).contains("probe/zz");

    recordTwoTurns();
    var outside = http.post("/v1/recordings/probe/a/replay?turn=3", new byte[0]);
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(json(outside).path("message").asText()).contains("1..2").contains("was 3");

    var notANumber = http.post("/v1/recordings/probe/a/replay?turn=last", new byte[0]);
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(json(notANumber).path("error").asText()).isEqualTo("invalid_config");

    var badModule = http.post("/v1/recordings/probe/a/replay", "not wasm");
    assertThat(badModule.statusCode()).isEqualTo(400);
    assertThat(json(badModule).path("error").asText()).isEqualTo("invalid_module");

    assertThat(http.post("/v1/recordings/nope/a/replay", new byte[0]).statusCode()).isEqualTo(404);
  }

  @Test
  void recordingAnUndeployedTypeAnswers404() {
    var r = http.put("/v1/recordings/nope", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).path("error").asText()).isEqualTo("unknown_type");
    assertThat(http.get("/v1/recordings/nope/a").statusCode()).isEqualTo(404);
  }
}
