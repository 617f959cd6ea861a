package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.testing.Mosquitto;
import io.mayfly.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly run --cluster}: two members in this JVM serve the same actors. */
class RunClusterTest {
  /** Broker messages the members' bridges share, 4 for each of 5 actors. */
  private static final int MQTT_MESSAGES = 20;

  private Mosquitto broker;

  /** After the members stopped: their bridges leave the shared group on the way out. */
  @AfterEach
  void stopBroker() throws InterruptedException {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void twoMembersJoinAndServeOneActorWhicheverReceivesTheAskOrTheBrokerMessage(@TempDir Path dir)
      throws Exception {
    broker = Mosquitto.start(dir);
    String mqtt = "127.0.0.1:" + broker.port();
    int portA = Ports.freeLoopback();
    int portB = Ports.freeLoopback();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    String name = "run-" + portA;
    var a = new InProcessRun();
    var b = new InProcessRun();
    CompletableFuture<Integer> runningA = null;
    CompletableFuture<Integer> runningB = null;
    try {
      runningA =
          a.start(
              Map.of(),
              "run",
              "--http",
              "127.0.0.1:0",
              "--admin-token",
              "adm",
              "--cluster",
              name,
              "--members",
              members,
              "--cluster-port",
              String.valueOf(portA),
              "--node-id",
              "a",
              "--mqtt",
              mqtt,
              "--mqtt-route",
              "sensors/+/cmd=probe/{1}");
      String urlA = a.awaitUrl(runningA);
      // The second member takes its settings from the environment, as a container would.
      runningB =
          b.start(
              Map.of(
                  "MAYFLY_CLUSTER",
                  name,
                  "MAYFLY_MEMBERS",
                  members,
                  "MAYFLY_CLUSTER_PORT",
                  String.valueOf(portB),
                  "MAYFLY_NODE_ID",
                  "b",
                  "MAYFLY_MQTT",
                  mqtt,
                  "MAYFLY_MQTT_ROUTES",
                  "sensors/+/cmd=probe/{1}"),
              "run",
              "--http",
              "127.0.0.1:0",
              "--admin-token",
              "adm");
      String urlB = b.awaitUrl(runningB);
      // The start-up message goes on after the URL line: wait for its cluster line.
      await()
          .untilAsserted(
              () -> {
                assertThat(a.out()).contains("cluster: member a of cluster '" + name + "'");
                assertThat(b.out())
                    .contains("cluster: member b of cluster '" + name + "'", "2 member(s)");
              });
      // Without --mqtt-shared-group, the members' bridges share the cluster's name as group.
      assertThat(a.out()).contains("shared group " + name);
      assertThat(b.out()).contains("shared group " + name);
      for (String url : new String[] {urlA, urlB}) {
        var deploy =
            ClientVerbsTest.mayfly(
                "deploy",
                "probe",
                ClientVerbsTest.PROBE.toString(),
                "--url",
                url,
                "--token",
                "adm");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        // Ready once the member joined and its bridge subscribed.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  var ready =
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                              HttpResponse.BodyHandlers.ofString());
                  assertThat(ready.statusCode()).isEqualTo(200);
                  assertThat(ready.body()).contains("\"cluster\":true", "\"mqtt\":true");
                });
      }
      assertClusterView(urlA, "a", name);
      assertClusterView(urlB, "b", name);
      // Partitions may still be migrating to the member that just joined: a turn committed by a
      // member whose view of the partition table lags is refused (its ask fails), and the client
      // retries with the same idempotency key, as docs/cluster.md says a client should.
      for (int i = 0; i < 10; i++) {
        String url = i % 2 == 0 ? urlA : urlB;
        String key = "ask-" + i;
        String actor = "probe/c" + (i % 5);
        var answered = new java.util.concurrent.atomic.AtomicReference<ClientVerbsTest.Run>();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(30))
            .until(
                () -> {
                  var ask =
                      ClientVerbsTest.mayfly(
                          "ask",
                          actor,
                          "inc:n",
                          "--idempotency-key",
                          key,
                          "--url",
                          url,
                          "--token",
                          "adm");
                  answered.set(ask);
                  return ask.exitCode() == 0;
                });
        assertThat(answered.get().out().strip())
            .as(answered.get().err())
            .isEqualTo(String.valueOf(i / 5 + 1));
      }
      for (int i = 0; i < MQTT_MESSAGES; i++) {
        broker.pub("sensors/m" + (i % 5) + "/cmd", "inc:n", 1);
      }
      // Each broker message is handled once by the cluster: 4 per actor, not 8.
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(20))
          .until(() -> mqttCounts(urlA).equals(List.of(4, 4, 4, 4, 4)));
      assertThat(mqttCounts(urlB)).containsExactly(4, 4, 4, 4, 4);
    } finally {
      a.stop();
      b.stop();
    }
    assertThat(runningB.join()).as(b.err()).isZero();
    assertThat(runningA.join()).as(a.err()).isZero();
    assertThat(b.out()).contains("stopped");
  }

  /** The count {@code n} of actors {@code probe/m0..m4}, asked through a member. */
  private static List<Integer> mqttCounts(String url) {
    var counts = new ArrayList<Integer>();
    for (int i = 0; i < 5; i++) {
      var ask =
          ClientVerbsTest.mayfly("ask", "probe/m" + i, "get:n", "--url", url, "--token", "adm");
      String out = ask.out().strip();
      counts.add(out.matches("\\d+") ? Integer.parseInt(out) : -1);
    }
    return counts;
  }

  /**
   * {@code GET /v1/cluster} and {@code mayfly cluster} on one member: both members, this one
   * marked, and partitions summing to the partition count once the migrations are over.
   */
  private static void assertClusterView(String url, String self, String name) throws Exception {
    var http = HttpClient.newHttpClient();
    var request =
        HttpRequest.newBuilder(URI.create(url + "/v1/cluster"))
            .header("Authorization", "Bearer adm")
            .build();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var r = http.send(request, HttpResponse.BodyHandlers.ofString());
              assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
              JsonNode view = NodeClient.MAPPER.readTree(r.body());
              assertThat(view.path("name").asText()).isEqualTo(name);
              assertThat(view.path("nodeId").asText()).isEqualTo(self);
              assertThat(view.path("quorum").asBoolean()).isTrue();
              var members = view.path("members");
              assertThat(members).hasSize(2);
              int sum = 0;
              for (JsonNode m : members) {
                assertThat(m.path("local").asBoolean())
                    .isEqualTo(m.path("nodeId").asText().equals(self));
                assertThat(m.path("partitions").asInt()).isPositive();
                if (m.path("local").asBoolean()) {
                  assertThat(m.path("address").asText()).isEqualTo(view.path("address").asText());
                }
                sum += m.path("partitions").asInt();
              }
              assertThat(sum).isEqualTo(view.path("partitionCount").asInt()).isPositive();
            });

    var json = ClientVerbsTest.mayfly("cluster", "-o", "json", "--url", url, "--token", "adm");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode view = NodeClient.MAPPER.readTree(json.out());
    assertThat(view.path("nodeId").asText()).isEqualTo(self);
    assertThat(view.path("members")).hasSize(2);
    assertThat(view.path("replicationBacklog").asLong()).isNotNegative();

    var text = ClientVerbsTest.mayfly("cluster", "--url", url, "--token", "adm");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("cluster " + name + ", seen from member " + self)
        .contains("2 member(s), minimum 1: quorum")
        .containsPattern("(?m)^" + self + " +127\\.0\\.0\\.1:\\d+ +\\d+  \\(this member\\)$")
        .containsPattern(
            "(?m)^partitions in the cluster +" + view.path("partitionCount").asInt() + "$");
  }
}
