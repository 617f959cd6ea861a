package io.mayfly.cluster;

import static io.mayfly.cluster.Members.bytes;
import static io.mayfly.cluster.Members.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Members join and leave while asks flow: partitions move with their actors' state, and no
 * committed turn is lost or repeated. Each acknowledged reply is the actor's count after its turn,
 * so a lost commit shows as a count acknowledged twice, and the final count is at least every
 * acknowledged one.
 */
class RebalancingTest {
  private static final int ACTORS = 40;

  /**
   * Threads asking {@code inc:n} of probe/r0..r39 in turn through the given members until stopped,
   * recording each acknowledged count and each failure (an ask answered with an error or not at
   * all).
   */
  private static final class Clients {
    final Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    final Set<String> duplicates = ConcurrentHashMap.newKeySet();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Clients(List<Mayfly> entries) {
      int n = entries.size();
      for (int c = 0; c < n; c++) {
        Mayfly entry = entries.get(c);
        int first = c;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int k = first; running.get(); k += n) {
                        ask(entry, k % ACTORS);
                      }
                    }));
      }
    }

    private void ask(Mayfly entry, int actor) {
      try {
        long count =
            Long.parseLong(
                text(
                    entry
                        .ask(
                            Address.of("probe", "r" + actor),
                            bytes("inc:n"),
                            Duration.ofSeconds(20))
                        .toCompletableFuture()
                        .get(25, TimeUnit.SECONDS)));
        if (!acknowledged.computeIfAbsent(actor, a -> ConcurrentHashMap.newKeySet()).add(count)) {
          duplicates.add("probe/r" + actor + " count " + count);
        }
      } catch (Exception e) {
        failures.add("probe/r" + actor + ": " + e); // it may or may not have committed
      }
    }

    int total() {
      return acknowledged.values().stream().mapToInt(Set::size).sum();
    }

    /** Waits until {@code more} asks beyond those acknowledged so far are. */
    void awaitMore(int more) {
      int target = total() + more;
      await().atMost(Duration.ofSeconds(60)).until(() -> total() >= target);
    }

    /** Stops asking and waits for the asks in flight. */
    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  @Test
  void joinAndLeaveWithTrafficFlowingLoseAndRepeatNoCommittedTurn() throws Exception {
    try (Members members = Members.start(2)) {
      var clients = new Clients(List.of(members.node(0), members.node(0))); // member 0 stays
      int joined = members.join(); // partitions migrate to the new member under traffic
      members.awaitSettled();
      int acknowledgedBeforeLeave = clients.total();
      members.get(1).close(); // a member leaves gracefully under traffic
      members.awaitSettled();
      members.get(joined).close();
      members.awaitSettled();
      clients.stop();

      assertThat(clients.duplicates).as("counts acknowledged twice").isEmpty();
      assertThat(clients.total()).isGreaterThan(acknowledgedBeforeLeave);
      for (var e : clients.acknowledged.entrySet()) {
        long committed =
            Long.parseLong(
                Members.peek(members.node(0), Address.of("probe", "r" + e.getKey()), "n"));
        assertThat(committed)
            .as("probe/r%d's committed count", e.getKey())
            .isGreaterThanOrEqualTo(e.getValue().stream().mapToLong(x -> x).max().orElseThrow());
      }
    }
  }

  /**
   * With every ask answered, the counts acknowledged for an actor are exactly 1..n, and n is its
   * committed count: nothing lost, nothing repeated.
   */
  @Test
  void aMemberThatLeavesUnderTrafficHandsOverEveryMessageAndItsActors() throws Exception {
    try (Members members = Members.start(3)) {
      // Members 0 and 2 stay throughout; member 1 owns some of the actors.
      var clients =
          new Clients(List.of(members.node(0), members.node(2), members.node(0), members.node(2)));
      assertThat(members.ownedBy(1, "r")).isNotNull();
      clients.awaitMore(200);
      members.get(1).close(); // graceful: hands its partitions over under traffic
      members.awaitSettled();
      clients.awaitMore(200);
      clients.stop();

      assertThat(clients.failures).as("asks not answered with success").isEmpty();
      assertThat(clients.duplicates).as("counts acknowledged twice").isEmpty();
      for (var e : clients.acknowledged.entrySet()) {
        long max = e.getValue().stream().mapToLong(x -> x).max().orElseThrow();
        assertThat(e.getValue())
            .as("counts acknowledged by probe/r%d", e.getKey())
            .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, max).boxed().toList());
        assertThat(Members.peek(members.node(0), Address.of("probe", "r" + e.getKey()), "n"))
            .as("probe/r%d's committed count", e.getKey())
            .isEqualTo(Long.toString(max));
      }
    }
  }
}
