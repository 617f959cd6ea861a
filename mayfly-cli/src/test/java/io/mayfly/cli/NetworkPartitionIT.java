package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition between three {@code mayfly run --cluster} processes, each in a Linux network
 * namespace of its own (made by {@link Namespaces}, which needs root): with a minimum size of 2,
 * the member cut off refuses every commit and says it is not ready, the two others keep serving
 * every actor without losing an acknowledged commit, and once the network heals the lone member
 * merges back and every member serves every actor again. Every ask is counted, so until the heal
 * each actor's count must be exactly the number of asks acknowledged: a refused turn that left
 * anything behind, or a lost commit, shows as a count off by one. After the merge an ask may go
 * unanswered while partitions move; it is repeated, and the count must lie within what the asks
 * made allow. Skipped, with the reason printed, where namespaces cannot be made.
 */
class NetworkPartitionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MEMBERS = 3;
  private static final int CUT = 2; // the member cut off: the minority
  private static final int ACTORS = 12;
  private static final int HTTP_PORT = 7070;
  private static final int CLUSTER_PORT = 5701;
  // Mayfly's default: with 2 s, members of a 2-core machine loaded by other builds took each other
  // for dead while they started, split and merged again, over and over.
  private static final String FAILURE_TIMEOUT = "5s";
  private static final Duration WAIT = Duration.ofSeconds(90);
  // Three JVMs starting at once take long on a busy 2-core machine.
  private static final Duration START = Duration.ofSeconds(180);

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> members = new ArrayList<>();
  private final StringBuffer output = new StringBuffer();
  private final long[] counts = new long[ACTORS]; // asks acknowledged per actor
  private Namespaces net;

  @BeforeEach
  void makeNetwork() throws Exception {
    String unavailable = Namespaces.unavailable();
    if (unavailable == null) {
      net = Namespaces.create(MEMBERS);
      try {
        net.build();
      } catch (Namespaces.NamespaceException e) {
        unavailable = "cannot make network namespaces here: " + e.getMessage();
      }
    }
    if (unavailable != null) {
      System.out.println("NetworkPartitionIT skipped: " + unavailable);
    }
    Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : members) {
      p.destroyForcibly();
    }
    for (Process p : members) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (!members.isEmpty()) {
      System.out.println("the members' output:\n" + output);
    }
    if (net != null) {
      net.delete();
    }
  }

  @Test
  void theMinorityRefusesCommitsAndMergesBackWhenTheNetworkHeals() throws Exception {
    String cluster = "partition-" + net.namespace(0);
    var started = new ArrayList<CompletableFuture<String>>();
    for (int i = 0; i < MEMBERS; i++) {
      started.add(start(i, cluster));
    }
    for (var url : started) {
      url.get(START.toSeconds(), TimeUnit.SECONDS);
    }
    awaitMembers(List.of(0, 1, 2), MEMBERS);
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy", "probe", ClientVerbsTest.PROBE.toString(), "--url", url(0), "--token", "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    // Routing from each member: every actor answers through every member, once every member has
    // the type (a deploy reaches the others through the cluster).
    for (int m = 0; m < MEMBERS; m++) {
      int member = m;
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> get(member, "/v1/types/probe").status() == 200);
    }
    for (int m = 0; m < MEMBERS; m++) {
      askEveryActor(m);
    }

    net.cut(CUT);
    long cutAt = System.nanoTime();
    awaitMembers(List.of(0, 1), 2);
    awaitMembers(List.of(CUT), 1);
    long detectedMillis = (System.nanoTime() - cutAt) / 1_000_000;

    // The minority: not ready, and every turn refused with nothing of it left behind.
    var ready = get(CUT, "/readyz");
    assertThat(ready.status()).as(ready.body()).isEqualTo(503);
    assertThat(JSON.readTree(ready.body()).path("checks").path("cluster").asBoolean(true))
        .isFalse();
    var view = get(CUT, "/v1/cluster");
    assertThat(JSON.readTree(view.body()).path("quorum").asBoolean(true)).as(view.body()).isFalse();
    assertThat(get(0, "/readyz").status()).isEqualTo(200);
    // A tell on a member is confirmed: refused like an ask. Unconfirmed, it is queued (202) and its
    // turn then fails the same way; the counts below show that it is never applied.
    var tell = post(CUT, "/v1/actors/probe/c0", "inc:n");
    assertThat(tell.status()).as(tell.body()).isEqualTo(422);
    assertThat(JSON.readTree(tell.body()).path("reason").asText()).isEqualTo("state_not_saved");
    var unconfirmed = post(CUT, "/v1/actors/probe/c0?confirm=false", "inc:n");
    assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(202);
    for (int actor = 0; actor < ACTORS; actor++) {
      var refused = ask(CUT, actor);
      assertThat(refused.status())
          .as("probe/c%d on the minority: %s", actor, refused)
          .isEqualTo(422);
      assertThat(JSON.readTree(refused.body()).path("reason").asText())
          .as(refused.body())
          .isEqualTo("state_not_saved");
    }
    // The majority: every actor, those the minority owned included, at its acknowledged count.
    askEveryActor(0);
    askEveryActor(1);

    net.heal(CUT);
    long healedAt = System.nanoTime();
    awaitMembers(List.of(0, 1, 2), MEMBERS);
    long mergedMillis = (System.nanoTime() - healedAt) / 1_000_000;
    await().atMost(WAIT).ignoreExceptions().until(() -> get(CUT, "/readyz").status() == 200);
    // Every actor through every member again. Right after the merge an ask may get no reply while
    // partitions move back (docs/cluster.md, Split brain): such an ask is repeated, and the count
    // must then lie between the acknowledged asks plus one and plus the asks made.
    int unanswered = 0;
    for (int m = 0; m < MEMBERS; m++) {
      unanswered += askEveryActorUntilAnswered(m);
    }
    System.out.println(
        "network partition: both sides settled apart "
            + detectedMillis
            + " ms after the cut, and together again "
            + mergedMillis
            + " ms after the network healed; "
            + unanswered
            + " ask(s) unanswered after the merge");
  }

  /** Starts member {@code i} in its namespace; completes with its URL once it listens. */
  private CompletableFuture<String> start(int i, String cluster) throws IOException {
    var memberList = new ArrayList<String>();
    for (int m = 0; m < MEMBERS; m++) {
      memberList.add(net.address(m) + ":" + CLUSTER_PORT);
    }
    var command =
        net.inside(
            i,
            ClusterProcesses.memberCommand(
                net.address(i) + ":" + HTTP_PORT,
                cluster,
                String.join(",", memberList),
                CLUSTER_PORT,
                "m" + i,
                FAILURE_TIMEOUT,
                List.of("--cluster-host", net.address(i), "--cluster-minimum-size", "2")));
    // Hazelcast looks for a split cluster to merge with 300 s after start and then every 120 s;
    // the test shortens both so that the healed minority merges within seconds.
    ClusterProcesses.Member member =
        ClusterProcesses.launch(
            command,
            "-Xmx256m -Dhazelcast.merge.first.run.delay.seconds=5"
                + " -Dhazelcast.merge.next.run.delay.seconds=5",
            "m" + i,
            output);
    members.add(member.process());
    return member.url().thenApply(printed -> url(i));
  }

  private String url(int member) {
    return "http://" + net.address(member) + ":" + HTTP_PORT;
  }

  /**
   * Waits until each of {@code who} sees {@code size} members that own every partition between
   * them, with no backup write pending.
   */
  private void awaitMembers(List<Integer> who, int size) {
    for (int m : who) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                var r = get(m, "/v1/cluster");
                if (r.status() != 200) {
                  return false;
                }
                JsonNode view = JSON.readTree(r.body());
                int owned = 0;
                for (JsonNode member : view.path("members")) {
                  owned += member.path("partitions").asInt();
                }
                return view.path("members").size() == size
                    && owned == view.path("partitionCount").asInt()
                    && view.path("replicationBacklog").asLong() == 0;
              });
    }
  }

  /**
   * Waits until every actor answers a read through {@code member} with its count of acknowledged
   * asks, then asks every actor to count once; each must answer at once with that count plus one. A
   * read that is lost or times out while partitions move changes nothing, so waiting with reads
   * keeps the count exact.
   */
  private void askEveryActor(int member) throws Exception {
    for (int actor = 0; actor < ACTORS; actor++) {
      int a = actor;
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> {
                var read = post(member, "/v1/actors/probe/c" + a + "/ask?timeout=5s", "get:n");
                return read.status() == 200
                    && (counts[a] == 0 || read.body().strip().equals(String.valueOf(counts[a])));
              });
    }
    for (int actor = 0; actor < ACTORS; actor++) {
      var reply = ask(member, actor);
      assertThat(reply.status())
          .as("probe/c%d through m%d: %s", actor, member, reply)
          .isEqualTo(200);
      counts[actor]++;
      assertThat(Long.parseLong(reply.body().strip()))
          .as("probe/c%d through m%d: its count of acknowledged asks", actor, member)
          .isEqualTo(counts[actor]);
    }
  }

  /**
   * Asks every actor through {@code member} to count, repeating an ask that gets no answer; returns
   * how many asks went unanswered. Each answer must lie between the acknowledged count plus one and
   * plus the asks made for it, as an unanswered ask may have committed or not.
   */
  private int askEveryActorUntilAnswered(int member) {
    var unanswered = new AtomicInteger();
    for (int actor = 0; actor < ACTORS; actor++) {
      int a = actor;
      var made = new AtomicInteger();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                made.incrementAndGet();
                var reply = ask(member, a);
                if (reply.status() != 200) {
                  unanswered.incrementAndGet();
                  System.out.println("probe/c" + a + " through m" + member + ": " + reply);
                  return false;
                }
                long count = Long.parseLong(reply.body().strip());
                assertThat(count)
                    .as("probe/c%d through m%d after the merge", a, member)
                    .isBetween(counts[a] + 1, counts[a] + made.get());
                counts[a] = count;
                return true;
              });
    }
    return unanswered.get();
  }

  private record Reply(int status, String body) {}

  private Reply ask(int member, int actor) throws Exception {
    return post(member, "/v1/actors/probe/c" + actor + "/ask?timeout=10s", "inc:n");
  }

  private Reply post(int member, String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url(member) + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Reply get(int member, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url(member) + path)).GET());
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    var response =
        client.send(
            request.header("Authorization", "Bearer adm").timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }
}
