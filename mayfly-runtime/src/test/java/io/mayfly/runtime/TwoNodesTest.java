package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static io.mayfly.runtime.Probe.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Two nodes in one JVM with a forwarding placement: requests, answers and state move right. */
class TwoNodesTest {
  /** Actors whose id starts with "b" live on node b, the rest on node a. */
  private static String byId(Address address) {
    return address.id().startsWith("b") ? "b" : "a";
  }

  @Nested
  class OnAManualClock {
    private final ManualClock clock = ManualClock.create();
    private final StateStore shared = StateStore.inMemory(clock, 64L << 20);
    private final TestCluster cluster = new TestCluster(TwoNodesTest::byId);
    private final List<TurnRecord> turnsOnA = new ArrayList<>();
    private final List<TurnRecord> turnsOnB = new ArrayList<>();
    private final Mayfly a = node("a", turnsOnA::add);
    private final Mayfly b = node("b", turnsOnB::add);

    private Mayfly node(String id, TurnListener listener) {
      Mayfly n =
          Mayfly.builder()
              .synchronous(true)
              .clock(clock)
              .nodeId(id)
              .stateStore(shared)
              .placement(cluster.placement(id))
              .turnListener(listener)
              .build();
      n.deploy("probe", Probe.WASM);
      return cluster.add(id, n);
    }

    @AfterEach
    void stop() {
      a.close();
      b.close();
    }

    @Test
    void anAskFromEitherNodeIsAnsweredByTheOwnerAndReturnsToItsAsker() {
      assertThat(ask(a, "probe/b1", "self")).isEqualTo("probe/b1");
      assertThat(ask(b, "probe/a1", "self")).isEqualTo("probe/a1");
      assertThat(turnsOnB).extracting(t -> t.address().toString()).containsExactly("probe/b1");
    }

    @Test
    void aFailedTurnOnTheOtherNodeKeepsItsReason() {
      assertThatThrownBy(() -> ask(a, "probe/b1", "trap"))
          .isInstanceOf(TurnFailedException.class)
          .satisfies(
              e ->
                  assertThat(((TurnFailedException) e).reason())
                      .isEqualTo(FailureReason.GUEST_TRAP))
          .hasMessageContaining("probe/b1");
      assertThatThrownBy(() -> ask(a, "probe/b1", "noreply"))
          .isInstanceOf(TurnFailedException.class)
          .satisfies(
              e ->
                  assertThat(((TurnFailedException) e).reason()).isEqualTo(FailureReason.NO_REPLY));
    }

    @Test
    void anAskTimesOutOnTheAskersNodeWhenTheOtherNeverAnswers() {
      CompletableFuture<byte[]> pending =
          a.ask(Address.parse("probe/b1"), bytes("handle:h"), Duration.ofSeconds(2))
              .toCompletableFuture();
      clock.advance(Duration.ofSeconds(2));
      assertThat(pending)
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(AskTimeoutException.class);
    }

    @Test
    void aDeferredReplyFromTheOtherNodeFindsTheAsk() {
      CompletableFuture<byte[]> pending =
          a.ask(Address.parse("probe/b1"), bytes("handle:h"), Duration.ofSeconds(5))
              .toCompletableFuture();
      assertThat(pending).isNotDone();
      assertThat(ask(a, "probe/b1", "replyto:h=later")).isEqualTo("0");
      assertThat(pending).isCompletedWithValueMatching(v -> text(v).equals("later"));
    }

    @Test
    void actorsAskEachOtherAcrossNodes() {
      ask(a, "probe/a1", "ask:probe/b1=reply:pong");
      assertThat(peek(a, "probe/a1", "inbox").orElseThrow()).contains("|0|-|probe/b1|pong");
    }

    @Test
    void anActorThatMovesResumesItsTimersAndSubscriptionsOnItsNewNode() {
      ask(a, "probe/a1", "sub:news/#;timer:1000=app:t=fired");
      cluster.move(x -> x.id().equals("a1"), "b");

      clock.advance(Duration.ofSeconds(1));
      assertThat(peek(b, "probe/a1", "t")).contains("fired ");
      assertThat(turnsOnB).extracting(t -> t.message().kind()).contains(MessageKind.TIMER);

      b.publish("news/today", bytes("hello"));
      assertThat(peek(b, "probe/a1", "inbox").orElseThrow()).contains("news/today");
      int turns = turnsOnB.size();
      a.publish("news/today", bytes("again")); // heard on b, its owner, once
      assertThat(turnsOnB).hasSize(turns + 1);
      assertThat(turnsOnA).noneMatch(t -> t.message() instanceof Message.Publication);
      assertThat(peek(b, "probe/a1", "inbox").orElseThrow()).containsOnlyOnce("again");
    }

    @Test
    void anOutsideListenerHearsEveryNodesPublicationsUnlessItListensToItsOwnNodeOnly() {
      List<String> everyNode = new ArrayList<>();
      List<String> ownNode = new ArrayList<>();
      b.subscribe("news/#", (topic, payload, from) -> everyNode.add(text(payload)));
      b.subscribe(
          "news/#",
          new TopicListener() {
            @Override
            public void onPublication(String topic, byte[] payload, Address from) {
              ownNode.add(text(payload));
            }

            @Override
            public boolean clusterWide() {
              return false;
            }
          });

      a.publish("news/a", bytes("from a"));
      ask(a, "probe/a3", "pub:news/t=from a's turn");
      b.publish("news/b", bytes("from b"));

      assertThat(everyNode).containsExactly("from a", "from a's turn", "from b");
      assertThat(ownNode).containsExactly("from b");
    }

    @Test
    void aTurnWhoseActorMovesWhileItRunsIsDiscardedAndRunsOnTheNewOwner() {
      Address actor = Address.parse("probe/a2");
      AtomicBoolean moved = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      cluster.onEpochRead =
          (nodeId, address) -> {
            // Node a reads the epoch when the turn starts, and again before it commits.
            if (nodeId.equals("a") && address.equals(actor) && reads.incrementAndGet() == 1) {
              cluster.move(x -> x.equals(actor), "b");
              moved.set(true);
            }
          };
      a.tell(actor, bytes("inc:n"));
      assertThat(moved).isTrue();
      assertThat(peek(a, "probe/a2", "n")).contains("1"); // once, by node b, not twice
      assertThat(turnsOnB).extracting(TurnRecord::address).containsExactly(actor);
    }
  }

  @Nested
  class UnderConcurrency {
    @Test
    void concurrentAsksFromBothNodesGetTheirOwnRepliesFailuresAndTimeouts() throws Exception {
      var cluster = new TestCluster(TwoNodesTest::byId);
      try (Mayfly a = cluster.add("a", workers(cluster, "a"));
          Mayfly b = cluster.add("b", workers(cluster, "b"))) {
        a.deploy("probe", Probe.WASM);
        b.deploy("probe", Probe.WASM);
        var asks = new ArrayList<CompletableFuture<String>>();
        var expected = new ArrayList<String>();
        for (int i = 0; i < 2_000; i++) {
          Mayfly from = i % 2 == 0 ? a : b;
          String target = (i % 3 == 0 ? "probe/b" : "probe/a") + (i % 17);
          String token = "t" + i;
          String script;
          Duration timeout = Duration.ofSeconds(30);
          switch (i % 10) {
            case 0 -> {
              script = "trap";
              expected.add("failed:guest_trap");
            }
            case 1 -> {
              script = "handle:h" + i; // kept, never answered
              timeout = Duration.ofMillis(200);
              expected.add("timeout");
            }
            default -> {
              script = "reply:" + token;
              expected.add(token);
            }
          }
          asks.add(
              from.ask(Address.parse(target), bytes(script), timeout)
                  .toCompletableFuture()
                  .handle(
                      (reply, error) ->
                          switch (error instanceof java.util.concurrent.CompletionException c
                              ? c.getCause()
                              : error) {
                            case null -> text(reply);
                            case TurnFailedException f -> "failed:" + f.reason().code();
                            case AskTimeoutException t -> "timeout";
                            default -> "unexpected:" + error;
                          }));
        }
        for (int i = 0; i < asks.size(); i++) {
          assertThat(asks.get(i).get(30, TimeUnit.SECONDS))
              .as("ask %d", i)
              .isEqualTo(expected.get(i));
        }
      }
    }

    private Mayfly workers(TestCluster cluster, String id) {
      return Mayfly.builder().workers(2).nodeId(id).placement(cluster.placement(id)).build();
    }
  }
}
