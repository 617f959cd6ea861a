package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code mayfly run --cluster} processes on loopback: every member serves every actor, and
 * {@code kill -9} of one of them under load loses no acknowledged message and applies each once.
 * Clients count actors up with asks and tells (a member's tell answers once its turn is confirmed),
 * each with an idempotency key of its own, retried through any survivor until acknowledged. The
 * history of the run (the keys acknowledged per actor, the counts the asks answered) is checked
 * against the state the survivors hold afterwards; the failover time (kill to the last actor
 * acknowledged again) is printed.
 */
class MemberProcessesIT {
  private static final int ACTORS = 24;
  private static final int CLIENTS = 4;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ClusterProcesses members;

  @AfterEach
  void stop() {
    if (members != null) {
      members.close();
    }
  }

  /** Asks {@code probe/ID} to count; returns the new count, or -1 when no answer came. */
  private long inc(String url, int actor) {
    return count(url, actor, null, false);
  }

  /**
   * Counts {@code probe/ID} up once, with an idempotency key (or {@code null}): by an ask, which
   * answers the new count, or by a tell, which a member of a cluster answers (202) once its turn is
   * confirmed. Returns the new count (0 for a confirmed tell), or -1 when it was not acknowledged.
   */
  private long count(String url, int actor, String key, boolean tell) {
    String path = "/v1/actors/probe/c" + actor + (tell ? "" : "/ask") + "?timeout=2s";
    var builder =
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Authorization", "Bearer adm")
            .timeout(Duration.ofSeconds(3))
            .POST(HttpRequest.BodyPublishers.ofString("inc:n"));
    if (key != null) {
      builder.header("Idempotency-Key", key);
    }
    try {
      var response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      if (tell) {
        return response.statusCode() == 202 ? 0 : -1;
      }
      return response.statusCode() == 200 ? Long.parseLong(response.body().strip()) : -1;
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** What the clients were told: per actor, the keys acknowledged and the counts asks answered. */
  private record History(Map<Integer, Set<String>> keys, Map<Integer, List<Long>> replies) {
    History() {
      this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    void acknowledged(int actor, String key, long reply) {
      keys.computeIfAbsent(actor, a -> ConcurrentHashMap.newKeySet()).add(key);
      if (reply > 0) {
        replies.computeIfAbsent(actor, a -> new CopyOnWriteArrayList<>()).add(reply);
      }
    }

    int acknowledgedKeys() {
      return keys.values().stream().mapToInt(Set::size).sum();
    }
  }

  @Test
  void killingAMemberUnderLoadLosesNoAcknowledgedMessageAndAppliesEachOnce() throws Exception {
    int[] ports = {Ports.freeLoopback(), Ports.freeLoopback(), Ports.freeLoopback()};
    String cluster = "processes-" + ports[0];
    members = new ClusterProcesses(cluster, ports);
    for (int i = 0; i < 3; i++) {
      members.start(i, "m" + i);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> members.output().contains("cluster: member m2 of cluster '" + cluster));
    assertThat(members.output()).as(members.output()).contains("3 member(s)");
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
    // Routing from each member: an actor outside the history answers through every member.
    for (int m = 0; m < 3; m++) {
      String url = members.url(m);
      await().atMost(Duration.ofSeconds(30)).until(() -> inc(url, ACTORS) > 0);
    }
    // A member's tell is confirmed by default: a turn that fails is the answer, not a 202.
    var failing =
        client.send(
            HttpRequest.newBuilder(URI.create(members.url(1) + "/v1/actors/probe/c" + ACTORS))
                .header("Authorization", "Bearer adm")
                .POST(HttpRequest.BodyPublishers.ofString("inc:n;trap"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(failing.statusCode()).as(failing.body()).isEqualTo(422);
    assertThat(failing.body()).contains("guest_trap");
    var history = new History();

    // Load: four clients count every actor up through the two members that survive, each count
    // with a key of its own, by an ask or by a confirmed tell, and send it again with the same key
    // (through either survivor) until it is acknowledged.
    List<String> survivors = List.of(members.url(0), members.url(2));
    Map<Integer, Long> firstAfterKill = new ConcurrentHashMap<>();
    var killedAt = new AtomicLong();
    var running = new AtomicBoolean(true);
    var retries = new AtomicLong();
    var clients = new ArrayList<Thread>();
    var failures = new ConcurrentLinkedQueue<Throwable>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int k = client; running.get(); k++) {
                        int actor = k % ACTORS;
                        String key = "c" + client + "-" + k;
                        boolean tell = (k / ACTORS) % 2 == 0;
                        var attempt = new AtomicLong(client);
                        var reply = new AtomicLong();
                        await()
                            .atMost(Duration.ofSeconds(60))
                            .pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(50))
                            .until(
                                () -> {
                                  String url = survivors.get((int) (attempt.getAndIncrement() % 2));
                                  long n = count(url, actor, key, tell);
                                  reply.set(n);
                                  if (n < 0) {
                                    retries.incrementAndGet();
                                  }
                                  return n >= 0;
                                });
                        history.acknowledged(actor, key, reply.get());
                        long killed = killedAt.get();
                        if (killed != 0) {
                          firstAfterKill.putIfAbsent(actor, System.nanoTime());
                        }
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> history.keys().size() == ACTORS);
    members.kill(1); // SIGKILL: no hand-over, no goodbye
    killedAt.set(System.nanoTime());
    // Every actor is acknowledged again after the kill, those the dead member owned on their new
    // owner.
    await().atMost(Duration.ofSeconds(60)).until(() -> firstAfterKill.size() == ACTORS);
    long failoverMillis =
        (firstAfterKill.values().stream().mapToLong(t -> t).max().orElseThrow() - killedAt.get())
            / 1_000_000;
    running.set(false); // each client stops once its last count is acknowledged
    for (Thread t : clients) {
      t.join();
    }
    assertThat(failures).isEmpty();

    // The history: each actor's count is exactly the number of keys acknowledged for it (none
    // lost, none applied twice), and no two acknowledged asks saw the same count (no committed
    // turn lost and done again).
    for (int actor = 0; actor < ACTORS; actor++) {
      long now = inc(members.url(0), actor);
      assertThat(now - 1)
          .as("probe/c%d's count after the kill", actor)
          .isEqualTo(history.keys().get(actor).size());
      assertThat(history.replies().getOrDefault(actor, List.of()))
          .as("counts answered to probe/c%d's acknowledged asks", actor)
          .doesNotHaveDuplicates()
          .allSatisfy(n -> assertThat(n).isLessThan(now));
    }
    System.out.println(
        "kill -9 of a member under load: "
            + history.acknowledgedKeys()
            + " counts acknowledged (asks and confirmed tells, "
            + retries.get()
            + " attempts retried), every actor acknowledged again within "
            + failoverMillis
            + " ms of the kill (the last actor's first acknowledgement after it)");
  }
}
