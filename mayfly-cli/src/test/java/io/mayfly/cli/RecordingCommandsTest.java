package io.mayfly.cli;

import static io.mayfly.cli.ClientVerbsTest.mayfly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.cli.ClientVerbsTest.Run;
import io.mayfly.http.MayflyHttpServer;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Checkout;
import io.mayfly.testkit.Recording;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record, recordings, replay and test against a node in this JVM, and recording files. */
class RecordingCommandsTest {
  private static final Path PROBE = Checkout.guestPath("probe");
  private static final Path COUNTER = Checkout.guestPath("counter");

  @TempDir Path dir;
  private Mayfly node;
  private MayflyHttpServer server;

  @BeforeEach
  void start() {
    node = Mayfly.builder().workers(2).build();
    server = MayflyHttpServer.builder().node(node).port(0).build().start();
    node.deploy("probe", Checkout.guest("probe"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Run verb(String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of(args));
    all.addAll(java.util.List.of("--url", server.url()));
    return mayfly(all.toArray(String[]::new));
  }

  private void ask(String address, String script) {
    node.ask(
            Address.parse(address), script.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30))
        .toCompletableFuture()
        .join();
  }

  /** Records two turns of probe/a and exports them; returns the file. */
  private Path recordAndExport() {
    Run on = verb("record", "on", "probe/a");
    assertThat(on.exitCode()).as(on.err()).isZero();
    ask("probe/a", "put:k=v");
    ask("probe/a", "get:k");
    // A turn is recorded right after its reply left: wait for the second before switching off.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> node.recorder().recorded(Address.parse("probe/a")).size() == 2);
    assertThat(verb("record", "off", "probe/a").exitCode()).isZero();
    Path file = dir.resolve("probe-a.json");
    Run export = verb("recordings", "probe/a", "--export", file.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("1  ").contains("2  ").contains("exported 2 turn(s)");
    return file;
  }

  @Test
  void recordedTurnsReplayFromTheNodeExactly() {
    recordAndExport();
    Run status = verb("recordings");
    assertThat(status.out()).contains("probe: 2 turns kept");
    Run replay = verb("replay", "probe/a", "--turn", "1");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("turn 1 of 2 of probe/a").contains("reproduced exactly");
  }

  @Test
  void replayAgainstAnotherModuleShowsTheDifference() {
    Path file = recordAndExport();
    Run replay =
        verb("replay", "probe/a", "--recording", file.toString(), "--module", COUNTER.toString());
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("recorded:").contains("replayed:").contains("differences:");
  }

  @Test
  void anExportedRecordingIsARegressionTestInJUnit() {
    Recording recording = Recording.load(recordAndExport());
    assertThat(recording.turns()).hasSize(2);
    recording.assertReproducedBy(Checkout.guest("probe"));
    assertThatThrownBy(() -> recording.assertReproducedBy(Checkout.guest("counter")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("turn 1 of 2 (ASK to probe/a) differs")
        .hasMessageContaining("replayed");
  }

  @Test
  void mayflyTestExitsZeroWhenEveryTurnReproducesAndOneWhenAnyDiffers() {
    Path file = recordAndExport();
    Run pass = mayfly("test", file.toString(), "--module", PROBE.toString());
    assertThat(pass.exitCode()).as(pass.out() + pass.err()).isZero();
    assertThat(pass.out()).contains("all 2 turn(s) reproduced");
    Run carried = mayfly("test", file.toString());
    assertThat(carried.exitCode()).as(carried.out() + carried.err()).isZero();

    Run fail = mayfly("test", file.toString(), "--module", COUNTER.toString());
    assertThat(fail.exitCode()).isEqualTo(1);
    assertThat(fail.out()).contains("FAIL " + file + " turn 1").contains("differ");
  }

  @Test
  void recordingVerbsPrintJsonWithOutputJson() throws Exception {
    JsonNode on = json(verb("record", "on", "probe/a", "-o", "json"));
    assertThat(on.path("target").asText()).isEqualTo("probe/a");
    assertThat(on.path("recording").asBoolean()).isTrue();
    ask("probe/a", "put:k=v");
    ask("probe/a", "get:k");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> node.recorder().recorded(Address.parse("probe/a")).size() == 2);
    assertThat(json(verb("record", "off", "probe/a", "-o", "json")).path("recording").asBoolean())
        .isFalse();

    JsonNode status = json(verb("recordings", "-o", "json"));
    assertThat(status.at("/types/0/type").asText()).isEqualTo("probe");
    assertThat(status.at("/types/0/turns").asInt()).isEqualTo(2);

    Path file = dir.resolve("a.json");
    JsonNode listed =
        json(verb("recordings", "probe/a", "--export", file.toString(), "-o", "json"));
    assertThat(listed.path("exported").asText()).isEqualTo(file.toString());
    assertThat(listed.path("turns")).hasSize(2);
    assertThat(listed.at("/turns/0/turn").asInt()).isEqualTo(1);
    assertThat(listed.at("/turns/0/kind").asText()).isEqualTo("ASK");
    assertThat(listed.at("/turns/0/payload/utf8").asText()).isEqualTo("put:k=v");
    assertThat(listed.at("/turns/1/committed").asBoolean()).isTrue();

    JsonNode same = json(verb("replay", "probe/a", "--turn", "2", "-o", "json"));
    assertThat(same.path("actor").asText()).isEqualTo("probe/a");
    assertThat(same.path("turn").asInt()).isEqualTo(2);
    assertThat(same.at("/recorded/message/kind").asText()).isEqualTo("ask");
    assertThat(same.path("turns").asInt()).isEqualTo(2);
    assertThat(same.path("reproduced").asBoolean()).isTrue();
    assertThat(same.path("differences")).isEmpty();
    JsonNode other =
        json(
            verb(
                "replay",
                "probe/a",
                "--recording",
                file.toString(),
                "--module",
                COUNTER.toString(),
                "-o",
                "json"));
    assertThat(other.path("reproduced").asBoolean()).isFalse();
    assertThat(other.path("differences")).isNotEmpty();

    JsonNode pass = json(mayfly("test", file.toString(), "-o", "json"));
    assertThat(pass.path("reproduced").asBoolean()).isTrue();
    assertThat(pass.path("turns").asInt()).isEqualTo(2);
    Run fail = mayfly("test", file.toString(), "--module", COUNTER.toString(), "-o", "json");
    assertThat(fail.exitCode()).isEqualTo(1);
    JsonNode failed = NodeClient.MAPPER.readTree(fail.out());
    assertThat(failed.path("reproduced").asBoolean()).isFalse();
    assertThat(failed.at("/files/0/file").asText()).isEqualTo(file.toString());
    assertThat(failed.at("/files/0/failures/0/turn").asInt()).isEqualTo(1);
    assertThat(failed.at("/files/0/failures/0/differences")).isNotEmpty();
  }

  /** Exactly one JSON document on one line, from a verb that succeeded. */
  private static JsonNode json(Run r) throws IOException {
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).as(r.out()).hasSize(1);
    return NodeClient.MAPPER.readTree(r.out());
  }

  @Test
  void mayflyTestExitsTwoOnUsageErrors() throws IOException {
    assertThat(mayfly("test").exitCode()).isEqualTo(2);
    Run missing = mayfly("test", dir.resolve("nope.json").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.json");
    Path notARecording = Files.writeString(dir.resolve("x.json"), "{\"format\":\"other\"}");
    Run invalid = mayfly("test", notARecording.toString(), "--module", PROBE.toString());
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err()).contains("not a Mayfly recording");
    Path file = recordAndExport();
    Run badModule = mayfly("test", file.toString(), "--module", file.toString());
    assertThat(badModule.exitCode()).isEqualTo(2);
    assertThat(badModule.err()).contains("cannot run the module");
  }
}
