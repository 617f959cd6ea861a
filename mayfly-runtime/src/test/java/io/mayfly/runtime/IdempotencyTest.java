package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static io.mayfly.runtime.Probe.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages with an idempotency key: a retried tell or ask is handled once within the window, a
 * retried ask gets the first one's reply (also while the first is queued or held behind the output
 * gate), a key reused on another message is refused, and the actor remembers its keys past its own
 * TTL.
 */
class IdempotencyTest {
  private static final Address A = Address.parse("probe/a");

  private final ManualClock clock = ManualClock.create();
  private SimpleMeterRegistry meters;
  private Mayfly node = node(Mayfly.builder());

  /** A synchronous node on the manual clock, with the probe deployed and meters of its own. */
  private Mayfly node(Mayfly.Builder builder) {
    meters = new SimpleMeterRegistry();
    Mayfly n = builder.synchronous(true).clock(clock).meterRegistry(meters).build();
    n.deploy("probe", Probe.WASM);
    return n;
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private String ask(String script, String key) {
    try {
      return text(
          node.ask(A, bytes(script), Duration.ofSeconds(30), key).toCompletableFuture().join());
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private double duplicates() {
    return meters.get("mayfly.messages.duplicate").tag("type", "probe").functionCounter().count();
  }

  @Test
  void aRetriedTellIsAppliedOnceAndAcceptedEachTime() {
    for (int i = 0; i < 3; i++) {
      node.tell(A, bytes("inc:n"), "order-17");
    }
    assertThat(peek(node, "probe/a", "n")).contains("1");
    assertThat(node.stats().turns()).isEqualTo(1);
    assertThat(duplicates()).isEqualTo(2);

    node.tell(A, bytes("inc:n"), "order-18"); // another key is another message
    node.tell(A, bytes("inc:n")); // and a message without a key is never deduplicated
    node.tell(A, bytes("inc:n"));
    assertThat(peek(node, "probe/a", "n")).contains("4");
  }

  @Test
  void aRetriedAskGetsTheSameReplyFromOneTurn() {
    assertThat(ask("inc:n", "k1")).isEqualTo("1");
    assertThat(ask("inc:n", "k1")).isEqualTo("1");
    assertThat(ask("inc:n", "k1")).isEqualTo("1");
    assertThat(node.stats().turns()).isEqualTo(1);
    assertThat(peek(node, "probe/a", "n")).contains("1");
    assertThat(ask("inc:n", "k2")).isEqualTo("2");
  }

  @Test
  void keysAreKeptPerActor() {
    node.tell(A, bytes("inc:n"), "same");
    node.tell(Address.parse("probe/b"), bytes("inc:n"), "same");
    assertThat(peek(node, "probe/a", "n")).contains("1");
    assertThat(peek(node, "probe/b", "n")).contains("1");
  }

  @Test
  void aKeyReusedOnAnotherMessageIsRefusedNamingIt() {
    node.tell(A, bytes("inc:n"), "k");
    assertThatThrownBy(() -> node.tell(A, bytes("inc:m"), "k"))
        .isInstanceOf(IdempotencyKeyReusedException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("probe/a");
    assertThatThrownBy(() -> ask("inc:n", "k")) // same payload, but an ask where a tell was
        .isInstanceOf(IdempotencyKeyReusedException.class);
    assertThat(peek(node, "probe/a", "n")).contains("1");
    assertThat(peek(node, "probe/a", "m")).isEmpty();
    assertThat(node.stats().rejected()).isEqualTo(2);
  }

  @Test
  void malformedKeysAreRefusedSayingWhatIsWrong() {
    assertThatThrownBy(() -> node.tell(A, bytes("inc:n"), ""))
        .isInstanceOf(InvalidIdempotencyKeyException.class)
        .hasMessageContaining("1-128 characters");
    assertThatThrownBy(() -> node.tell(A, bytes("inc:n"), "x".repeat(129)))
        .isInstanceOf(InvalidIdempotencyKeyException.class)
        .hasMessageContaining("129 characters");
    assertThatThrownBy(() -> node.tell(A, bytes("inc:n"), "two words"))
        .isInstanceOf(InvalidIdempotencyKeyException.class)
        .hasMessageContaining("U+0020 at index 3");
    assertThatThrownBy(() -> ask("inc:n", "caf\u00e9"))
        .isInstanceOf(InvalidIdempotencyKeyException.class)
        .hasMessageContaining("U+00E9 at index 3");
    assertThat(peek(node, "probe/a", "n")).isEmpty();
    assertThat(node.stats().rejected()).isEqualTo(4);
    node.tell(A, bytes("inc:n"), "x".repeat(128));
    node.tell(A, bytes("inc:n"), "0b8f0c1e-6a7d-4f3e-9c1a-2b5d7e9f1a3c");
    assertThat(peek(node, "probe/a", "n")).contains("2");
  }

  @Test
  void aFailedTurnIsNotRememberedSoARetryRunsAgain() {
    assertThatThrownBy(() -> ask("inc:n;trap", "k")).isInstanceOf(TurnFailedException.class);
    assertThatThrownBy(() -> ask("inc:n;trap", "k")).isInstanceOf(TurnFailedException.class);
    assertThat(node.stats().turns()).isEqualTo(2);
    assertThat(node.stats().failedTurns()).isEqualTo(2);
    assertThat(peek(node, "probe/a", "n")).isEmpty();
  }

  @Test
  void aTurnWithoutReplyIsRememberedAsSuch() {
    assertThatThrownBy(() -> ask("inc:n;noreply", "k"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("without replying");
    assertThatThrownBy(() -> ask("inc:n;noreply", "k"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("without replying");
    assertThat(peek(node, "probe/a", "n")).contains("1");
  }

  @Test
  void aRetryOfAnAskAnsweredLaterIsRefusedRatherThanRunTwice() {
    CompletableFuture<byte[]> first =
        node.ask(A, bytes("inc:n;handle:h"), Duration.ofSeconds(30), "k").toCompletableFuture();
    assertThat(first).isNotDone();
    assertThatThrownBy(() -> ask("inc:n;handle:h", "k"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("deferred reply");
    assertThat(peek(node, "probe/a", "n")).contains("1");
    node.tell(A, bytes("replyto:h=done"));
    assertThat(first).isCompletedWithValueMatching(b -> text(b).equals("done"));
  }

  @Test
  void afterTheWindowAKeyIsNewAgain() {
    node.close();
    node = node(Mayfly.builder().idempotencyWindow(Duration.ofMinutes(1)));
    node.deploy("probe", Probe.WASM, TypeConfig.builder().ttl(Ttl.never()).build());
    node.tell(A, bytes("inc:n"), "k");
    clock.advance(Duration.ofSeconds(59));
    node.tell(A, bytes("inc:n"), "k");
    assertThat(peek(node, "probe/a", "n")).contains("1");
    clock.advance(Duration.ofSeconds(1));
    node.tell(A, bytes("inc:n"), "k");
    assertThat(peek(node, "probe/a", "n")).contains("2");
  }

  @Test
  void keysOutliveTheActorsOwnStateForTheirWindow() {
    node.deploy(
        "probe",
        Probe.WASM,
        TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofSeconds(10))).build());
    assertThat(ask("inc:n", "k")).isEqualTo("1");
    clock.advance(Duration.ofSeconds(20)); // the actor's own state expires; its keys stay
    assertThat(node.state(A)).isEmpty();
    assertThat(node.stats().expirations()).isEqualTo(1);

    assertThat(ask("inc:n", "k")).isEqualTo("1"); // the remembered reply, no turn
    node.tell(A, bytes("inc:m"), "t");
    assertThat(ask("get:n", null)).isEqualTo("-1"); // not found: n was not written again
    assertThat(peek(node, "probe/a", "m")).contains("1");

    clock.advance(Duration.ofMinutes(5)); // the default window has passed
    assertThat(ask("inc:n", "k")).isEqualTo("1"); // a fresh actor, and the key is new again
    assertThat(node.stats().turns()).as("four messages and two expiry turns").isEqualTo(6);
  }

  @Test
  void anActorRemembersAtMostItsBoundOfKeysDroppingTheOldestFirst() {
    node.close();
    node = node(Mayfly.builder().idempotencyKeysPerActor(3));
    for (int i = 1; i <= 4; i++) {
      node.tell(A, bytes("inc:n"), "k" + i);
      clock.advance(Duration.ofSeconds(1));
    }
    node.tell(A, bytes("inc:n"), "k4"); // remembered
    assertThat(peek(node, "probe/a", "n")).contains("4");
    node.tell(A, bytes("inc:n"), "k1"); // forgotten: the oldest of four
    assertThat(peek(node, "probe/a", "n")).contains("5");
    assertThat(meters.get("mayfly.idempotency.keys.forgotten").functionCounter().count())
        .isEqualTo(2);
  }

  @Test
  void rememberedRepliesAreBoundedInBytes() {
    node.close();
    node = node(Mayfly.builder().idempotencyBytesPerActor(1024));
    String big = "x".repeat(400);
    for (int i = 1; i <= 3; i++) {
      assertThat(ask("inc:n;reply:" + big, "k" + i)).isEqualTo(big);
      clock.advance(Duration.ofSeconds(1));
    }
    // Three replies of 400 bytes do not fit in 1024: the first was forgotten, the last two not.
    assertThat(ask("inc:n;reply:" + big, "k3")).isEqualTo(big);
    assertThat(ask("inc:n;reply:" + big, "k2")).isEqualTo(big);
    assertThat(peek(node, "probe/a", "n")).contains("3");
    assertThat(ask("inc:n;reply:" + big, "k1")).isEqualTo(big);
    assertThat(peek(node, "probe/a", "n")).contains("4");
  }

  @Test
  void aRetryWhileTheFirstAwaitsItsSaveWaitsForTheSameAnswer() {
    node.close();
    var store = new OutputGateTest.SlowStore(clock);
    node = node(Mayfly.builder().stateStore(store));
    CompletableFuture<byte[]> first =
        node.ask(A, bytes("inc:n"), Duration.ofSeconds(30), "k").toCompletableFuture();
    CompletableFuture<byte[]> retry =
        node.ask(A, bytes("inc:n"), Duration.ofSeconds(30), "k").toCompletableFuture();
    assertThat(first).isNotDone();
    assertThat(retry).isNotDone(); // not answered from the state before it is saved
    assertThat(store.held).hasSize(1);
    store.held.getFirst().complete(null);
    assertThat(first).isCompletedWithValueMatching(b -> text(b).equals("1"));
    assertThat(retry).isCompletedWithValueMatching(b -> text(b).equals("1"));
    assertThat(node.stats().turns()).isEqualTo(1);
  }

  @Test
  void aRetryWhileTheFirstIsQueuedWaitsForTheSameAnswer() throws Exception {
    node.close();
    meters = new SimpleMeterRegistry();
    try (Mayfly workers = Mayfly.builder().workers(1).meterRegistry(meters).build()) {
      node = workers;
      workers.deploy(
          "probe", Probe.WASM, TypeConfig.builder().turnTimeout(Duration.ofMillis(500)).build());
      workers.tell(A, bytes("loop")); // holds the actor's mailbox until its deadline
      CompletableFuture<byte[]> first =
          workers.ask(A, bytes("inc:n"), Duration.ofSeconds(30), "k").toCompletableFuture();
      CompletableFuture<byte[]> retry =
          workers.ask(A, bytes("inc:n"), Duration.ofSeconds(30), "k").toCompletableFuture();
      workers.tell(A, bytes("inc:n"), "t");
      workers.tell(A, bytes("inc:n"), "t");
      assertThatThrownBy(() -> workers.tell(A, bytes("inc:m"), "t"))
          .isInstanceOf(IdempotencyKeyReusedException.class);
      assertThat(first).isNotDone();
      assertThat(retry).isNotDone();
      assertThat(text(first.get())).isIn("1", "2");
      assertThat(retry.get()).isEqualTo(first.get());
      await().until(() -> peek(workers, "probe/a", "n").equals(Optional.of("2")));
      assertThat(workers.stats().turns()).isEqualTo(3); // the loop, the ask, the tell
      assertThat(duplicates()).isEqualTo(2);
    }
  }

  @Test
  void aRetryOfAnAskThatIsRefusedIsRefusedAsWell() {
    CompletableFuture<byte[]> reused =
        node.ask(A, bytes("inc:n"), Duration.ofSeconds(30), "k").toCompletableFuture();
    assertThat(reused).isCompletedWithValueMatching(b -> text(b).equals("1"));
    assertThat(node.ask(A, bytes("inc:m"), Duration.ofSeconds(30), "k").toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IdempotencyKeyReusedException.class);
  }
}
