package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
      assertThat(a.out()).contains("cluster: member a of cluster '" + name + "'");
      assertThat(b.out()).contains("cluster: member b of cluster '" + name + "'", "2 member(s)");
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
}
