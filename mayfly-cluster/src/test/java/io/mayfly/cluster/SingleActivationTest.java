package io.mayfly.cluster;

import static io.mayfly.cluster.Members.bytes;
import static io.mayfly.cluster.Members.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each actor is active on one member only: messages sent to the same actors from all members at
 * once are each applied exactly once, all on the actor's owner.
 */
class SingleActivationTest {
  private static final AtomicInteger ROUND = new AtomicInteger();

  /** Per actor, the members that ran a turn of it. */
  private static final Map<Address, Set<Integer>> RAN_ON = new ConcurrentHashMap<>();

  private static Members members;

  @BeforeAll
  static void start() {
    members =
        Members.start(
            3,
            MayflyClock.system(),
            i ->
                turn ->
                    RAN_ON
                        .computeIfAbsent(turn.address(), a -> ConcurrentHashMap.newKeySet())
                        .add(i));
  }

  @AfterAll
  static void stop() {
    members.close();
  }

  @Test
  void concurrentSendsFromEveryMemberAreEachAppliedOnceOnTheOwner() {
    qt().withExamples(8)
        .withFixedSeed(20261203L)
        .forAll(lists().of(integers().between(0, 3 * 12 - 1)).ofSizeBetween(30, 300))
        .checkAssert(this::sendConcurrently);
  }

  /** Each value names a sending member (value % 3) and a target actor (value / 3). */
  private void sendConcurrently(List<Integer> sends) {
    String round = "r" + ROUND.incrementAndGet() + "-";
    Map<Address, Integer> expected = new HashMap<>();
    List<List<Address>> perMember =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int v : sends) {
      Address a = Address.parse("probe/" + round + (v / 3));
      perMember.get(v % 3).add(a);
      expected.merge(a, 1, Integer::sum);
    }
    var threads = new ArrayList<Thread>();
    for (int m = 0; m < 3; m++) {
      var node = members.node(m);
      var targets = perMember.get(m);
      threads.add(
          Thread.ofPlatform().start(() -> targets.forEach(a -> node.tell(a, bytes("inc:n")))));
    }
    threads.forEach(
        t -> {
          try {
            t.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (var e : expected.entrySet()) {
                assertThat(peek(members.node(0), e.getKey(), "n"))
                    .as("count of %s", e.getKey())
                    .isEqualTo(String.valueOf(e.getValue()));
              }
            });
    for (Address a : expected.keySet()) {
      assertThat(RAN_ON.get(a)).as("members that ran %s", a).containsExactly(members.ownerOf(a));
    }
  }
}
