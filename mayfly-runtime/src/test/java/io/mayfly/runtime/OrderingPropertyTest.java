package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many actors, many concurrent senders: each actor sees each sender's messages in the order they
 * were sent, and only its own messages.
 */
class OrderingPropertyTest {
  private static Mayfly node;
  private static final AtomicInteger ROUND = new AtomicInteger();

  @BeforeAll
  static void start() {
    node = Mayfly.builder().workers(2).batchSize(4).build();
    node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(1_000_000).build());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void perActorOrderAndIsolationHoldUnderConcurrency() {
    qt().withExamples(12)
        .withFixedSeed(20261125L)
        .forAll(integers().between(1, 40), integers().between(1, 4), integers().between(1, 60))
        .checkAssert(this::runRound);
  }

  private void runRound(int actors, int senders, int perSender) {
    int round = ROUND.incrementAndGet();
    long before = node.stats().turns();
    var threads = new ArrayList<Thread>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < perSender; i++) {
                      int actor = (i * 7 + sender) % actors;
                      String id = "r" + round + "-" + actor;
                      Probe.tell(node, "probe/" + id, "app:log=" + id + ":" + sender + ":" + i);
                    }
                  }));
    }
    threads.forEach(
        t -> {
          try {
            t.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        });
    long expected = before + (long) senders * perSender;
    await().atMost(Duration.ofSeconds(30)).until(() -> node.stats().turns() >= expected);
    int seen = 0;
    for (int a = 0; a < actors; a++) {
      String id = "r" + round + "-" + a;
      String log = Probe.peek(node, "probe/" + id, "log").orElse("");
      Map<Integer, Integer> lastSeq = new HashMap<>();
      for (String entry : log.isBlank() ? List.<String>of() : List.of(log.trim().split(" "))) {
        String[] parts = entry.split(":");
        assertThat(parts[0]).as("isolation").isEqualTo(id);
        int sender = Integer.parseInt(parts[1]);
        int seq = Integer.parseInt(parts[2]);
        assertThat(seq)
            .as("order from sender %d at %s", sender, id)
            .isGreaterThan(lastSeq.getOrDefault(sender, -1));
        lastSeq.put(sender, seq);
        seen++;
      }
    }
    assertThat(seen).as("no message lost").isEqualTo(senders * perSender);
  }
}
