package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.http.MayflyHttpServer;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Checkout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client verbs against a node running in this JVM, through its HTTP API. */
class ClientVerbsTest {
  static final Path PROBE = Checkout.guestPath("probe");
  private static final String ADMIN = "admin-token";
  private static final String CLIENT = "client-token";

  private Mayfly node;
  private MayflyHttpServer server;

  /** One run of the command line, with what it printed. */
  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() {
    node = Mayfly.builder().workers(2).build();
    server =
        MayflyHttpServer.builder()
            .node(node)
            .port(0)
            .adminToken(ADMIN)
            .clientTokens(List.of(CLIENT))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Run mayfly(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A verb against the test node with a token. */
  private Run verb(String token, String... args) {
    var all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--url", server.url(), "--token", token));
    return mayfly(all.toArray(String[]::new));
  }

  private Run admin(String... args) {
    return verb(ADMIN, args);
  }

  private void deployProbe() {
    Run r = admin("deploy", "probe", PROBE.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void deployPrintsTheVersionAndTakesTypeOptions() {
    Run r =
        admin(
            "deploy",
            "probe",
            PROBE.toString(),
            "--ttl",
            "after_write:1m",
            "--mailbox-capacity",
            "64",
            "--turn-timeout",
            "500ms",
            "--subscribe",
            "in/+:{1}");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("deployed probe version 1 (sha256 ");
    var config = node.type("probe").orElseThrow().config();
    assertThat(config.mailboxCapacity()).isEqualTo(64);
    assertThat(config.turnTimeout().toMillis()).isEqualTo(500);
    assertThat(config.subscriptions()).hasSize(1);
  }

  @Test
  void typesListsTheDeployedTypes() {
    deployProbe();
    Run r = admin("types");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("TYPE").contains("probe").contains("after_access:10m");
  }

  @Test
  void clusterOnAnEmbeddedNodeIsANodeErrorNotClustered() {
    Run r = admin("cluster");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(r.err()).contains("not_clustered").contains("not a member of a cluster");
    assertThat(verb(CLIENT, "cluster").exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
  }

  @Test
  void undeployRemovesTheTypeAndAnUnknownOneIsANodeError() {
    deployProbe();
    assertThat(admin("undeploy", "probe").exitCode()).isZero();
    assertThat(node.types()).isEmpty();

    Run again = admin("undeploy", "probe");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(again.err()).contains("not deployed").contains("unknown_type");
  }

  @Test
  void aDataFileIsSentByteForByte(@TempDir Path dir) throws Exception {
    deployProbe();
    Path script = dir.resolve("two-words.txt");
    Files.writeString(script, "put:sp=two words \"quoted\"");
    assertThat(verb(CLIENT, "send", "probe/f", "@" + script).exitCode()).isZero();
    await()
        .untilAsserted(
            () -> {
              Run ask = verb(CLIENT, "ask", "probe/f", "get:sp");
              assertThat(ask.exitCode()).as(ask.err()).isZero();
              assertThat(ask.out()).isEqualTo("two words \"quoted\"" + System.lineSeparator());
            });
  }

  @Test
  void sendAskStateAndActorsWorkTogether(@TempDir Path dir) throws Exception {
    deployProbe();
    assertThat(verb(CLIENT, "send", "probe/a", "put:k=v").exitCode()).isZero();
    Path script = dir.resolve("script.txt");
    Files.writeString(script, "get:k");

    await()
        .untilAsserted(
            () -> {
              Run ask = verb(CLIENT, "ask", "probe/a", "@" + script);
              assertThat(ask.exitCode()).as(ask.err()).isZero();
              assertThat(ask.out()).isEqualTo("v" + System.lineSeparator());
            });

    Run state = admin("state", "probe/a");
    assertThat(state.exitCode()).isZero();
    assertThat(state.out()).contains("\"address\" : \"probe/a\"").contains("\"utf8\" : \"v\"");

    Run actors = admin("actors", "probe");
    assertThat(actors.exitCode()).isZero();
    assertThat(actors.out().lines()).containsExactly("a");
  }

  @Test
  void anIdempotencyKeyMakesARetriedSendOrAskCountOnce() throws Exception {
    Run deployed = admin("deploy", "counter", Checkout.guestPath("counter").toString());
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    for (int i = 0; i < 2; i++) {
      Run sent = verb(CLIENT, "send", "counter/a", "x", "--idempotency-key", "reading-1");
      assertThat(sent.exitCode()).as(sent.err()).isZero();
    }
    // The tell and its retry made one increment; the ask makes the second, its retry none.
    JsonNode first =
        oneJsonLine(verb(CLIENT, "ask", "counter/a", "--idempotency-key", "q-1", "-o", "json"));
    JsonNode retried =
        oneJsonLine(verb(CLIENT, "ask", "counter/a", "--idempotency-key", "q-1", "-o", "json"));
    assertThat(first.path("base64").asText()).isEqualTo("AgAAAA=="); // 2, u32 LE
    assertThat(retried).isEqualTo(first);
    JsonNode fresh = oneJsonLine(verb(CLIENT, "ask", "counter/a", "-o", "json"));
    assertThat(fresh.path("base64").asText()).isEqualTo("AwAAAA=="); // 3

    Run bad = verb(CLIENT, "send", "counter/a", "x", "--idempotency-key", "has space");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(bad.err()).contains("invalid_idempotency_key");
  }

  @Test
  void binaryRepliesArePrintedAsBase64() {
    deployProbe();
    node.putSharedData("bin", new byte[] {0, 1, 2});
    Run ask = verb(CLIENT, "ask", "probe/b", "shared:bin");
    assertThat(ask.exitCode()).as(ask.err()).isZero();
    assertThat(ask.out().strip()).isEqualTo("base64:AAEC");
  }

  @Test
  void sharedDataIsPutFromAFileByteForByteAndRemoved(@TempDir Path dir) throws Exception {
    deployProbe();
    Path weights = dir.resolve("weights.bin");
    Files.write(weights, new byte[] {0, 1, 2, (byte) 0xff, '\n'});

    Run put = admin("shared", "put", "models/v1", "@" + weights);
    assertThat(put.exitCode()).as(put.err()).isZero();
    Run ask = verb(CLIENT, "ask", "probe/m", "shared:models/v1");
    assertThat(ask.exitCode()).as(ask.err()).isZero();
    assertThat(ask.out().strip()).isEqualTo("base64:AAEC/wo=");

    Run rm = admin("shared", "rm", "models/v1");
    assertThat(rm.exitCode()).as(rm.err()).isZero();
    assertThat(verb(CLIENT, "ask", "probe/m", "shared:models/v1").out().strip()).isEqualTo("-1");

    Run again = admin("shared", "rm", "models/v1");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(again.err()).contains("not_found");
    Run forbidden = verb(CLIENT, "shared", "put", "k", "v");
    assertThat(forbidden.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(forbidden.err()).contains("forbidden");
    assertThat(admin("shared", "put", "k").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(admin("shared").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void stateOfAnActorWithoutStateIsANodeError() {
    deployProbe();
    Run r = admin("state", "probe/none");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(r.err()).contains("no_state");
  }

  @Test
  void askTimeoutExitsWith4() {
    deployProbe();
    Run r = verb(CLIENT, "ask", "probe/t", "handle:h", "--timeout", "100ms");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.ASK_TIMEOUT);
    assertThat(r.err()).contains("ask_timeout");
  }

  @Test
  void failedTurnIsANodeErrorWithItsReason() {
    deployProbe();
    Run r = verb(CLIENT, "ask", "probe/t", "trap");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(r.err()).contains("guest_trap").contains("turn_failed");
  }

  @Test
  void noNodeExitsWith3() {
    Run r = mayfly("types", "--url", "http://127.0.0.1:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.CANNOT_CONNECT);
    assertThat(r.err()).contains("cannot reach the node at http://127.0.0.1:1");
  }

  @Test
  void clientTokenCannotDeployAndNoTokenCannotSend() {
    Run deploy = verb(CLIENT, "deploy", "probe", PROBE.toString());
    assertThat(deploy.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(deploy.err()).contains("forbidden");

    Run send = mayfly("send", "probe/a", "x", "--url", server.url());
    assertThat(send.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    assertThat(send.err()).contains("unauthorized");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(verb(CLIENT, "send", "no-slash", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
    Run missing = verb(CLIENT, "send", "probe/a", "@/no/such/file");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no such file");
    assertThat(verb(ADMIN, "deploy", "probe").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(verb(CLIENT, "tail", "t", "--count", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    Run badDuration = verb(CLIENT, "ask", "probe/a", "x", "--timeout", "5 sec");
    assertThat(badDuration.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDuration.err()).contains("--timeout: '5 sec' is not a duration");
    Run badDeploy = verb(ADMIN, "deploy", "probe", PROBE.toString(), "--turn-timeout", "1.5s");
    assertThat(badDeploy.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDeploy.err()).contains("--turn-timeout: '1.5s' is not a duration");
  }

  /** A {@code tail} running in the background, with what it printed. */
  record Tail(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {}

  /** Starts {@code mayfly tail FILTER ARGS} with the client token and waits until it listens. */
  private Tail tail(String filter, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var all = new java.util.ArrayList<>(List.of("tail", filter));
    all.addAll(List.of(args));
    all.addAll(List.of("--url", server.url(), "--token", CLIENT));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.commandLine()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(all.toArray(String[]::new)));
    await().until(() -> err.toString().contains("listening on " + filter));
    return new Tail(exit, out, err);
  }

  @Test
  void tailPrintsPublicationsAndStopsAfterCount() {
    deployProbe();
    Tail tail = tail("alerts/#", "--count", "2");

    node.publish("alerts/a", "first".getBytes(StandardCharsets.UTF_8));
    node.ask(Address.parse("probe/p"), "pub:alerts/b/c=second".getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture()
        .join();

    assertThat(tail.exit().join()).as(tail.err().toString()).isZero();
    assertThat(tail.out().toString().lines())
        .containsExactly("alerts/a - first", "alerts/b/c probe/p second");
  }

  /** Parses a verb's output as exactly one JSON document on one line. */
  private static JsonNode oneJsonLine(Run r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).as(r.out()).hasSize(1);
    return NodeClient.MAPPER.readTree(r.out());
  }

  @Test
  void everyVerbThatPrintsPrintsJsonWithOutputJson() throws Exception {
    JsonNode deployed = oneJsonLine(admin("deploy", "probe", PROBE.toString(), "-o", "json"));
    assertThat(deployed.path("type").asText()).isEqualTo("probe");
    assertThat(deployed.path("version").asInt()).isEqualTo(1);
    assertThat(deployed.at("/config/ttl/duration").asText()).isEqualTo("10m");

    JsonNode types = oneJsonLine(admin("types", "--output", "json"));
    assertThat(types.path("types").get(0).path("type").asText()).isEqualTo("probe");

    JsonNode sent = oneJsonLine(verb(CLIENT, "send", "probe/a", "put:k=v", "-o", "json"));
    assertThat(sent.path("address").asText()).isEqualTo("probe/a");
    assertThat(sent.path("accepted").asBoolean()).isTrue();

    JsonNode reply = oneJsonLine(verb(CLIENT, "ask", "probe/a", "get:k", "-o", "JSON"));
    assertThat(reply.path("utf8").asText()).isEqualTo("v");
    assertThat(reply.path("base64").asText()).isEqualTo("dg==");

    JsonNode state = oneJsonLine(admin("state", "probe/a", "-o", "json"));
    assertThat(state.path("address").asText()).isEqualTo("probe/a");
    assertThat(state.at("/entries/k/utf8").asText()).isEqualTo("v");
    assertThat(state.path("remainingTtl").asText()).matches("\\d+(m|s|ms)(\\d+(s|ms))*");

    JsonNode actors = oneJsonLine(admin("actors", "probe", "-o", "json"));
    assertThat(actors.path("actors").get(0).asText()).isEqualTo("a");

    JsonNode put = oneJsonLine(admin("shared", "put", "m", "abc", "-o", "json"));
    assertThat(put.path("key").asText()).isEqualTo("m");
    assertThat(put.path("bytes").asInt()).isEqualTo(3);
    JsonNode removed = oneJsonLine(admin("shared", "rm", "m", "-o", "json"));
    assertThat(removed.path("removed").asBoolean()).isTrue();

    Tail tail = tail("t/#", "--count", "1", "-o", "json");
    node.publish("t/x", "hi".getBytes(StandardCharsets.UTF_8));
    assertThat(tail.exit().join()).as(tail.err().toString()).isZero();
    JsonNode event = oneJsonLine(new Run(0, tail.out().toString(), tail.err().toString()));
    assertThat(event.path("topic").asText()).isEqualTo("t/x");
    assertThat(event.path("utf8").asText()).isEqualTo("hi");

    JsonNode undeployed = oneJsonLine(admin("undeploy", "probe", "-o", "json"));
    assertThat(undeployed.path("undeployed").asBoolean()).isTrue();

    Run badFormat = admin("types", "-o", "yaml");
    assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFormat.err()).contains("yaml");
    assertThat(verb(CLIENT, "ask", "probe/a", "x", "--raw", "-o", "json").exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void helpExitsZeroWithAndWithoutAVerb() {
    Run all = mayfly("help");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out()).contains("Usage: mayfly").contains("deploy").contains("completion");
    Run deploy = mayfly("help", "deploy");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    assertThat(deploy.out()).contains("Usage: mayfly deploy");
  }

  @Test
  void everyVerbHasHelpWithTheExitCodes() {
    for (String verb :
        List.of(
            "run",
            "deploy",
            "undeploy",
            "types",
            "send",
            "ask",
            "state",
            "actors",
            "tail",
            "shared",
            "shared put",
            "shared rm",
            "cluster",
            "demo",
            "new",
            "completion")) {
      var args = new java.util.ArrayList<>(List.of(verb.split(" ")));
      args.add("--help");
      Run r = mayfly(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(verb).isZero();
      assertThat(r.out()).as(verb).contains("Usage: mayfly " + verb);
      if (!verb.equals("demo")) {
        assertThat(r.out()).as(verb).contains("Exit codes: 0 ok");
      }
    }
  }
}
