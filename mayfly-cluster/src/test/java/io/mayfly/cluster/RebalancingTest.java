package io.mayfly.cluster;

import static io.mayfly.cluster.Members.bytes;
import static io.mayfly.cluster.Members.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Members join and leave while asks flow: partitions move with their actors' state, and no
 * committed turn is lost or repeated. Each acknowledged reply is the actor's count after its turn,
 * so a lost commit shows as a count acknowledged twice, and the final count is at least every
 * acknowledged one.
 */
class RebalancingTest {
  private static final int ACTORS = 40;

  @Test
  void joinAndLeaveWithTrafficFlowingLoseAndRepeatNoCommittedTurn() throws Exception {
    try (Members members = Members.start(2)) {
      Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
      var duplicates = new ConcurrentHashMap<String, Boolean>();
      var running = new AtomicBoolean(true);
      var clients = new ArrayList<Thread>();
      for (int c = 0; c < 2; c++) {
        Mayfly entry = members.node(0); // member 0 stays throughout
        int first = c;
        clients.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int k = first; running.get(); k += 2) {
                        int actor = k % ACTORS;
                        try {
                          long n =
                              Long.parseLong(
                                  text(
                                      entry
                                          .ask(
                                              Address.of("probe", "r" + actor),
                                              bytes("inc:n"),
                                              Duration.ofSeconds(10))
                                          .toCompletableFuture()
                                          .get(15, TimeUnit.SECONDS)));
                          if (!acknowledged
                              .computeIfAbsent(actor, a -> ConcurrentHashMap.newKeySet())
                              .add(n)) {
                            duplicates.put("probe/r" + actor + " count " + n, true);
                          }
                        } catch (Exception failedOrTimedOut) {
                          // not acknowledged: it may or may not have committed
                        }
                      }
                    }));
      }
      int joined = members.join(); // partitions migrate to the new member under traffic
      members.awaitSettled();
      int acknowledgedBeforeLeave = total(acknowledged);
      members.get(1).close(); // a member leaves gracefully under traffic
      members.awaitSettled();
      members.get(joined).close();
      members.awaitSettled();
      running.set(false);
      for (Thread t : clients) {
        t.join();
      }

      assertThat(duplicates.keySet()).as("counts acknowledged twice").isEmpty();
      assertThat(total(acknowledged)).isGreaterThan(acknowledgedBeforeLeave);
      for (var e : acknowledged.entrySet()) {
        long committed =
            Long.parseLong(
                Members.peek(members.node(0), Address.of("probe", "r" + e.getKey()), "n"));
        assertThat(committed)
            .as("probe/r%d's committed count", e.getKey())
            .isGreaterThanOrEqualTo(e.getValue().stream().mapToLong(x -> x).max().orElseThrow());
      }
    }
  }

  private static int total(Map<Integer, Set<Long>> acknowledged) {
    return acknowledged.values().stream().mapToInt(Set::size).sum();
  }
}
