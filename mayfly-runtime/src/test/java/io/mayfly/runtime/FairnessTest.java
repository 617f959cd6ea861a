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
  private static final long BACKLOG = (long) BUSY_ACTORS * MESSAGES_EACH;

  /** A batch of every busy actor, and some: what may run before an actor made ready after them. */
  private static final long FEW_BATCHES = 4L * BUSY_ACTORS * BATCH;

  @Test
  void anActorMadeReadyBehindLongMailboxesRunsAfterAFewBatchesNotAfterTheBacklog() {
    try (var run = new Backlog()) {
      Probe.tell(run.node, "probe/late", "inc:n");
      run.gate.countDown();

      // Every busy actor may run a batch before the late one: a few hundred turns, far from the
      // backlog of 40 000.
      assertThat(run.lateTurn() - 2).isLessThan(FEW_BATCHES);
      run.awaitAll();
      assertThat(run.node.stats().failedTurns()).isZero();
    }
  }

  @Test
  void anActorMadeReadyWhileOthersCycleThroughTheirBatchesRunsWithinAFewBatches() {
    try (var run = new Backlog()) {
      run.gate.countDown();
      // The busy actors now take turns, batch after batch; the late one arrives in the middle.
      await().until(() -> run.turns.get() >= BACKLOG / 10);
      long sentAt = run.turns.get();
      Probe.tell(run.node, "probe/late", "inc:n");

      assertThat(run.lateTurn() - sentAt)
          .as("turns run between the late message and its turn")
          .isLessThan(FEW_BATCHES);
      run.awaitAll();
    }
  }

  /**
   * A node with 2 workers and the backlog queued: both workers wait in the turns of two gate actors
   * while every busy actor gets {@value #MESSAGES_EACH} messages, so the backlog is there however
   * fast the machine is. Opening {@link #gate} lets the workers go. Turns are counted, and the one
   * of the actor {@code probe/late} is noted.
   */
  private static final class Backlog implements AutoCloseable {
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicLong turns = new AtomicLong();
    private final AtomicLong lateTurn = new AtomicLong(-1);
    final Mayfly node;

    Backlog() {
      TurnListener listener =
          t -> {
            long n = turns.incrementAndGet();
            switch (t.address().id()) {
              case "late" -> lateTurn.set(n);
              case "gate0", "gate1" -> awaitGate(gate);
              default -> {}
            }
          };
      node = Mayfly.builder().workers(2).batchSize(BATCH).turnListener(listener).build();
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
    }

    /** The number of the late actor's turn among all turns, once it has run. */
    long lateTurn() {
      await().atMost(Duration.ofSeconds(60)).until(() -> lateTurn.get() > 0);
      return lateTurn.get();
    }

    /** Waits for the backlog, the gates and the late actor's turn. */
    void awaitAll() {
      await().atMost(Duration.ofSeconds(60)).until(() -> turns.get() == BACKLOG + 3);
    }

    @Override
    public void close() {
      gate.countDown();
      node.close();
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
