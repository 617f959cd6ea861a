package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code mayfly run --cluster} processes on loopback run a workflow of three stages over many
 * instances, and one of them is killed with {@code kill -9} mid-chain: every stage of every
 * instance that was started is applied once. An instance is started by an ask to its first stage
 * with an idempotency key, retried through another member until answered; the later stages are
 * reached only by the messages the stages send each other.
 */
class OutboxProcessesIT {
  private static final int INSTANCES = 60;
  private static final int STAGES = 3;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ClusterProcesses members;

  @AfterEach
  void stop() {
    if (members != null) {
      members.close();
    }
  }

  /** Asks an actor to run a script; the reply, or {@code null} when no answer came. */
  private String ask(String url, String actor, String script, String key) {
    var request =
        HttpRequest.newBuilder(URI.create(url + "/v1/actors/probe/" + actor + "/ask?timeout=3s"))
            .header("Authorization", "Bearer adm")
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(script));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    try {
      var response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body().strip() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Stage {@code s} (1-based) of workflow instance {@code i}. */
  private static String stage(int i, int s) {
    return "flow" + i + "-s" + s;
  }

  /**
   * The first stage's script: count, and send the second stage a timer script that counts and sends
   * the third stage its count (the probe's timers run a script, so a stage can pass on).
   */
  private static String workflow(int i) {
    return "inc:n;send:probe/"
        + stage(i, 2)
        + "=timer:0=inc:n|send:probe/"
        + stage(i, 3)
        + "=inc:n";
  }

  @Test
  void aWorkflowKilledMidChainAppliesEachStageOnce() throws Exception {
    int[] ports = {Ports.freeLoopback(), Ports.freeLoopback(), Ports.freeLoopback()};
    String cluster = "outbox-" + ports[0];
    members = new ClusterProcesses(cluster, ports);
    for (int i = 0; i < 3; i++) {
      members.start(i, "w" + i);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> members.output().contains("cluster: member w2 of cluster '" + cluster));
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy",
            "probe",
            ClientVerbsTest.PROBE.toString(),
            "--url",
            members.url(0),
            "--token",
            "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    for (int m = 0; m < 3; m++) {
      String url = members.url(m);
      await().atMost(Duration.ofSeconds(30)).until(() -> ask(url, "warm", "inc:n", null) != null);
    }

    // Instances start through the two members that survive, alternately; the third is killed
    // once a third of them started, while their chains run.
    var started = new AtomicInteger();
    Thread starter =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  for (int i = 0; i < INSTANCES; i++) {
                    String key = "start-" + i;
                    String reply = null;
                    for (int attempt = 0; reply == null; attempt++) {
                      // Retried with the same key until answered: the first stage runs once.
                      reply =
                          ask(
                              members.url((i + attempt) % 2 == 0 ? 0 : 2),
                              stage(i, 1),
                              workflow(i),
                              key);
                    }
                    started.incrementAndGet();
                  }
                });
    await().atMost(Duration.ofSeconds(60)).until(() -> started.get() >= INSTANCES / 3);
    members.kill(1); // SIGKILL: no hand-over, no goodbye
    starter.join(Duration.ofMinutes(3).toMillis());
    assertThat(started.get()).isEqualTo(INSTANCES);

    // Each stage's count over the instances reaches the number started, and no stage ran twice.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (int s = 1; s <= STAGES; s++) {
                int applied = 0;
                for (int i = 0; i < INSTANCES; i++) {
                  String n = ask(members.url(0), stage(i, s), "get:n", null);
                  assertThat(n).as("stage %d of instance %d", s, i).isIn("1", "-1");
                  applied += "1".equals(n) ? 1 : 0;
                }
                assertThat(applied)
                    .as("instances whose stage %d was applied", s)
                    .isEqualTo(INSTANCES);
              }
            });
  }
}
