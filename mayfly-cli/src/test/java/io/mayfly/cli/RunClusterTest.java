package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code mayfly run --cluster}: two members in this JVM serve the same actors. */
class RunClusterTest {
  @Test
  void twoMembersJoinAndServeOneActorWhicheverReceivesTheAsk() throws Exception {
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
              "a");
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
                  "b"),
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
        var ready =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"cluster\":true");
      }
      assertClusterView(urlA, "a", name);
      assertClusterView(urlB, "b", name);
      for (int i = 0; i < 10; i++) {
        String url = i % 2 == 0 ? urlA : urlB;
        var ask =
            ClientVerbsTest.mayfly(
                "ask", "probe/c" + (i % 5), "inc:n", "--url", url, "--token", "adm");
        assertThat(ask.out().strip()).as(ask.err()).isEqualTo(String.valueOf(i / 5 + 1));
      }
    } finally {
      a.stop();
      b.stop();
    }
    assertThat(runningB.join()).as(b.err()).isZero();
    assertThat(runningA.join()).as(a.err()).isZero();
    assertThat(b.out()).contains("stopped");
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
