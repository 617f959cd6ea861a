package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Actors share the workers fairly: a long mailbox does not keep others from being served. */
class FairnessTest {
  private static final int BATCH = 8;
  private static final int BUSY_ACTORS = 20;
  private static final int MESSAGES_EACH = 2_000;

  /** A batch of every busy actor, and some: what may run before an actor made ready after them. */
  private static final long FEW_BATCHES = 4L * BUSY_ACTORS * BATCH;

  @Test
  void anActorMadeReadyBehindLongMailboxesRunsAfterAFewBatchesNotAfterTheBacklog() {
    var gate = new CountDownLatch(1);
    var turns = new AtomicLong();
    var lateTurn = new AtomicLong(-1);
    TurnListener listener =
        t -> {
          long n = turns.incrementAndGet();
          switch (t.address().id()) {
            case "late" -> lateTurn.set(n);
            case "gate0", "gate1" -> awaitGate(gate);
            default -> {}
          }
        };
    try (Mayfly node =
        Mayfly.builder().workers(2).batchSize(BATCH).turnListener(listener).build()) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(MESSAGES_EACH).build());
      // Both workers wait in the gate actors' turns while the backlog is queued, so the backlog
      // is there however fast the machine is.
      Probe.tell(node, "probe/gate0", "inc:n");
      await().until(() -> turns.get() == 1);
      Probe.tell(node, "probe/gate1", "inc:n");
      await().until(() -> turns.get() == 2);
      for (int i = 0; i < MESSAGES_EACH; i++) {
        for (int a = 0; a < BUSY_ACTORS; a++) {
          Probe.tell(node, "probe/busy" + a, "inc:n");
        }
      }
      Probe.tell(node, "probe/late", "inc:n");
      gate.countDown();

      await().atMost(Duration.ofSeconds(60)).until(() -> lateTurn.get() > 0);
      long backlog = (long) BUSY_ACTORS * MESSAGES_EACH;
      // Every busy actor may run a batch before the late one: a few hundred turns, far from the
      // backlog of 40 000.
      assertThat(lateTurn.get() - 2).isLessThan(FEW_BATCHES);
      await().atMost(Duration.ofSeconds(60)).until(() -> turns.get() == backlog + 3);
      assertThat(node.stats().failedTurns()).isZero();
    }
  }

  @Test
  void anActorMadeReadyWhileOthersCycleThroughTheirBatchesRunsWithinAFewBatches() {
    var gate = new CountDownLatch(1);
    var turns = new AtomicLong();
    var lateTurn = new AtomicLong(-1);
    TurnListener listener =
        t -> {
          long n = turns.incrementAndGet();
          switch (t.address().id()) {
            case "late" -> lateTurn.set(n);
            case "gate0", "gate1" -> awaitGate(gate);
            default -> {}
          }
        };
    try (Mayfly node =
        Mayfly.builder().workers(2).batchSize(BATCH).turnListener(listener).build()) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(MESSAGES_EACH).build());
      Probe.tell(node, "probe/gate0", "inc:n");
      await().until(() -> turns.get() == 1);
      Probe.tell(node, "probe/gate1", "inc:n");
      await().until(() -> turns.get() == 2);
      for (int i = 0; i < MESSAGES_EACH; i++) {
        for (int a = 0; a < BUSY_ACTORS; a++) {
          Probe.tell(node, "probe/busy" + a, "inc:n");
        }
      }
      gate.countDown();
      // The busy actors now take turns, batch after batch; the late one arrives in the middle.
      long backlog = (long) BUSY_ACTORS * MESSAGES_EACH;
      await().until(() -> turns.get() >= backlog / 10);
      long sentAt = turns.get();
      Probe.tell(node, "probe/late", "inc:n");

      await().atMost(Duration.ofSeconds(60)).until(() -> lateTurn.get() > 0);
      assertThat(lateTurn.get() - sentAt)
          .as("turns run between the late message and its turn")
          .isLessThan(FEW_BATCHES);
      await().atMost(Duration.ofSeconds(60)).until(() -> turns.get() == backlog + 3);
    }
  }

  private static void awaitGate(CountDownLatch gate) {
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the gate was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
