package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.wasm.GuestInstance;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An actor handles one message at a time, also while its mailbox empties and is retired as another
 * message arrives: the mailbox is retired only by the run that holds it, so the actor's next
 * message, which makes a new mailbox, never starts a turn beside one still running.
 *
 * <p>The race this guards against: a run that let go of its cell before retiring it could find the
 * mailbox emptied by a second run (started on another worker by a message sent in between) and
 * retire the cell while that run's turn went on; the actor's next message then made a second cell,
 * and two of its turns overlapped. It needs the first worker descheduled within a few instructions,
 * so a test meets it rarely: it was found with the workflow example's fan-out/fan-in (one workflow
 * in about 500 000 lost a reply to such a lost update and never answered). This test keeps both
 * workers busy and an actor's mailbox retiring and coming back tens of thousands of times, and
 * fails on any overlap of the actor's turns.
 */
class MailboxRetirementTest {
  private static final int ROUNDS = 50_000;
  private static final Address ACTOR = Address.of("a", "1");
  private static final Address[] NOISE = {Address.of("noise", "1"), Address.of("noise", "2")};

  /** Cells of the actors, made and retired as the router does. */
  private final ConcurrentHashMap<Address, ActorCell> cells = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<Address, AtomicInteger> running = new ConcurrentHashMap<>();
  private final AtomicLong turns = new AtomicLong();
  private final AtomicLong noiseTurns = new AtomicLong();
  private final AtomicLong overlaps = new AtomicLong();

  @Test
  void noTwoTurnsOfAnActorOverlapWhileItsMailboxRetiresAndComesBack() throws InterruptedException {
    Dispatcher dispatcher = Dispatcher.workers(2, Duration.ofNanos(20_000));
    try {
      var host = new TestHost(dispatcher);
      running.put(ACTOR, new AtomicInteger());
      for (Address a : NOISE) {
        running.put(a, new AtomicInteger());
      }
      // Other actors keep both workers busy, so that whichever worker looks at the ready queue
      // next takes the actor's mailbox up at once, as on a loaded node.
      var stop = new AtomicBoolean();
      Thread feeder =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long fed = 0;
                    while (!stop.get()) {
                      if (fed - noiseTurns.get() < 8) {
                        send(host, NOISE[(int) (fed++ & 1)]);
                      } else {
                        Thread.onSpinWait();
                      }
                    }
                  });
      long sent = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      for (int round = 0; round < ROUNDS; round++) {
        // A message whose turn ends as the next two arrive: the run that handled it is letting go
        // of the mailbox just then, and another worker takes up the next message.
        send(host, ACTOR);
        sent++;
        awaitTurns(sent, deadline);
        send(host, ACTOR);
        send(host, ACTOR);
        sent += 2;
        awaitTurns(sent, deadline);
      }
      stop.set(true);
      feeder.join();
      assertThat(turns.get()).isEqualTo(3L * ROUNDS);
      assertThat(overlaps.get()).as("turns of one actor that overlapped another").isZero();
    } finally {
      dispatcher.shutdown(Duration.ofSeconds(5));
    }
  }

  private void send(TestHost host, Address to) {
    var envelope = new Envelope(new Message.Tell(to, new byte[0], null), null, 0, null);
    for (; ; ) {
      ActorCell cell = cells.computeIfAbsent(to, a -> new ActorCell(a, host));
      if (cell.offer(envelope, Integer.MAX_VALUE) != ActorCell.Offer.RETIRED) {
        return;
      }
      Thread.onSpinWait(); // its last run is taking it out of the map
    }
  }

  /** Spins (the workers answer within microseconds) until {@code n} turns ran, or fails. */
  private void awaitTurns(long n, long deadline) {
    while (turns.get() < n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "only " + turns.get() + " of " + n + " turns ran: a message was lost");
      }
      Thread.onSpinWait();
    }
  }

  private final class TestHost implements ActorCell.Host {
    private final Dispatcher dispatcher;

    TestHost(Dispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    @Override
    public int batchSize() {
      return 32;
    }

    @Override
    public Dispatcher dispatcher() {
      return dispatcher;
    }

    @Override
    public void queued(Envelope envelope, int delta) {}

    @Override
    public GuestInstance runTurn(ActorCell cell, Envelope envelope, GuestInstance guest) {
      AtomicInteger now = running.get(cell.address);
      if (now.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      // A turn takes a little while, as a guest's does: long enough for a second one to meet it.
      long end = System.nanoTime() + 2_000;
      while (System.nanoTime() - end < 0) {
        Thread.onSpinWait();
      }
      now.decrementAndGet();
      (cell.address.equals(ACTOR) ? turns : noiseTurns).incrementAndGet();
      return guest;
    }

    @Override
    public void release(Address address, GuestInstance guest) {}

    @Override
    public void retire(ActorCell cell) {
      cells.remove(cell.address, cell);
    }
  }
}
