package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code mayfly run --cluster} processes on loopback: every member serves every actor, and
 * {@code kill -9} of one of them under load loses no acknowledged commit. The history of the run
 * (each acknowledged reply of each actor's counter) is checked against the state the survivors hold
 * afterwards; the failover time (kill to the last actor answering again) is printed.
 */
class MemberProcessesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");
  private static final int ACTORS = 24;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> members = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final StringBuffer output = new StringBuffer();

  @AfterEach
  void stop() {
    members.forEach(Process::destroyForcibly);
  }

  private void start(int i, String cluster, String memberList, int port) throws Exception {
    var builder =
        new ProcessBuilder(
                "./mayfly",
                "run",
                "--http",
                "127.0.0.1:0",
                "--admin-token",
                "adm",
                "--workers",
                "1",
                "--cluster",
                cluster,
                "--members",
                memberList,
                "--cluster-port",
                String.valueOf(port),
                "--node-id",
                "m" + i,
                "--cluster-failure-timeout",
                "2s")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().put("MAYFLY_SKIP_BUILD", "1");
    builder.environment().put("MAYFLY_JAVA_OPTS", "-Xmx256m");
    Process p = builder.start();
    members.add(p);
    var url = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  output.append("m").append(i).append("| ").append(line).append('\n');
                  Matcher m = URL.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  }
                }
              } catch (java.io.IOException e) {
                url.completeExceptionally(e);
              }
            });
    urls.add(url.get(60, java.util.concurrent.TimeUnit.SECONDS));
  }

  /** Asks {@code probe/ID} to count; returns the new count, or -1 when no answer came. */
  private long inc(String url, int actor) {
    var request =
        HttpRequest.newBuilder(URI.create(url + "/v1/actors/probe/c" + actor + "/ask?timeout=2s"))
            .header("Authorization", "Bearer adm")
            .timeout(Duration.ofSeconds(3))
            .POST(HttpRequest.BodyPublishers.ofString("inc:n"))
            .build();
    try {
      var response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Long.parseLong(response.body().strip()) : -1;
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Test
  void killingAMemberUnderLoadLosesNoAcknowledgedCommit() throws Exception {
    int[] ports = {Ports.freeLoopback(), Ports.freeLoopback(), Ports.freeLoopback()};
    String memberList =
        "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    String cluster = "processes-" + ports[0];
    for (int i = 0; i < 3; i++) {
      start(i, cluster, memberList, ports[i]);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> output.toString().contains("cluster: member m2 of cluster '" + cluster));
    assertThat(output.toString()).as(output.toString()).contains("3 member(s)");
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy",
            "probe",
            ClientVerbsTest.PROBE.toString(),
            "--url",
            urls.get(0),
            "--token",
            "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    // Routing from each member: every actor answers through every member.
    for (int m = 0; m < 3; m++) {
      String url = urls.get(m);
      await().atMost(Duration.ofSeconds(30)).until(() -> inc(url, 0) > 0);
    }

    // Load: two clients count every actor up through the two members that survive.
    Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    Map<Integer, Long> firstAfterKill = new ConcurrentHashMap<>();
    var killedAt = new AtomicLong();
    var running = new AtomicBoolean(true);
    var answers = new AtomicLong();
    var clients = new ArrayList<Thread>();
    for (int c = 0; c < 2; c++) {
      String url = urls.get(c == 0 ? 0 : 2);
      int first = c;
      clients.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int k = first; running.get(); k++) {
                      int actor = k % ACTORS;
                      long n = inc(url, actor);
                      if (n > 0) {
                        acknowledged.merge(actor, n, Math::max);
                        answers.incrementAndGet();
                        long killed = killedAt.get();
                        if (killed != 0 && System.nanoTime() - killed > 0) {
                          firstAfterKill.putIfAbsent(actor, System.nanoTime());
                        }
                      }
                    }
                  }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() == ACTORS);
    members.get(1).destroyForcibly(); // SIGKILL: no hand-over, no goodbye
    killedAt.set(System.nanoTime());
    members.get(1).waitFor();
    // Every actor answers again after the kill, those the dead member owned on their new owner.
    await().atMost(Duration.ofSeconds(60)).until(() -> firstAfterKill.size() == ACTORS);
    long failoverMillis =
        (firstAfterKill.values().stream().mapToLong(t -> t).max().orElseThrow() - killedAt.get())
            / 1_000_000;
    running.set(false);
    for (Thread t : clients) {
      t.join();
    }

    // The history: no actor's committed count is below a count that was acknowledged.
    for (int actor = 0; actor < ACTORS; actor++) {
      long now = inc(urls.get(0), actor);
      assertThat(now - 1)
          .as("probe/c%d committed count after the kill", actor)
          .isGreaterThanOrEqualTo(acknowledged.get(actor));
    }
    System.out.println(
        "kill -9 of a member under load: "
            + answers.get()
            + " acknowledged asks, every actor answered again within "
            + failoverMillis
            + " ms of the kill (the last actor's first answer after it)");
  }
}
