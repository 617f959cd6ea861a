package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Confirmed tells: the stage completes once the turn that handled the message committed and its
 * outputs left, behind the output gate; it fails with the turn's failure, or on timeout; a
 * duplicate of a key already handled is confirmed without running again.
 */
class TellConfirmedTest {
  private static final Address A = Address.parse("probe/a");

  private final ManualClock clock = ManualClock.create();
  private final OutputGateTest.SlowStore store = new OutputGateTest.SlowStore(clock);
  private final Mayfly node =
      Mayfly.builder().synchronous(true).clock(clock).stateStore(store).build();

  @AfterEach
  void stop() {
    store.held.forEach(f -> f.complete(null));
    node.close();
  }

  private CompletableFuture<Void> tell(String script, String key) {
    return node.tellConfirmed(A, bytes(script), Duration.ofSeconds(5), key, null)
        .toCompletableFuture();
  }

  private static void failsWith(CompletableFuture<Void> confirmed, FailureReason reason) {
    assertThat(confirmed)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            TurnFailedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void confirmedOnlyOnceTheTurnsStateIsSavedWithItsOutputs() {
    node.deploy("probe", Probe.WASM);
    var published = new ArrayList<String>();
    node.subscribe("out/#", (topic, payload, from) -> published.add(topic));
    CompletableFuture<Void> confirmed = tell("put:k=v;pub:out/x=hello", null);
    assertThat(peek(node, "probe/a", "k")).contains("v");
    assertThat(confirmed).isNotDone();
    assertThat(published).isEmpty();
    store.held.getFirst().complete(null);
    assertThat(confirmed).isCompleted().isNotCompletedExceptionally();
    assertThat(published).containsExactly("out/x");
  }

  @Test
  void confirmationsFollowTurnOrder() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<Void> first = tell("put:k=v", null);
    CompletableFuture<Void> second = tell("put:j=w", null);
    store.held.get(1).complete(null);
    assertThat(second).isNotDone(); // its own state is safe, the earlier turn's is not
    store.held.get(0).complete(null);
    assertThat(first).isCompleted().isNotCompletedExceptionally();
    assertThat(second).isCompleted().isNotCompletedExceptionally();
  }

  @Test
  void aFailedTurnFailsTheConfirmationWithItsReason() {
    node.deploy("probe", Probe.WASM);
    failsWith(tell("put:k=v;trap", null), FailureReason.GUEST_TRAP);
    assertThat(peek(node, "probe/a", "k")).isEmpty();
  }

  @Test
  void aTurnWhoseStateCannotBeSavedIsNeverConfirmed() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<Void> confirmed = tell("put:k=v", null);
    store.held.getFirst().completeExceptionally(new UndeliverableException("backup unreachable"));
    failsWith(confirmed, FailureReason.STATE_NOT_SAVED);
  }

  @Test
  void noConfirmationWithinTheTimeoutFailsTheStage() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<Void> confirmed = tell("put:k=v", null);
    clock.advance(Duration.ofMillis(4999));
    assertThat(confirmed).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(confirmed)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(AskTimeoutException.class)
        .withMessage("no confirmation from probe/a within 5s");
  }

  @Test
  void aRetryOfAHandledKeyIsConfirmedAtOnceAndNotAppliedAgain() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<Void> first = tell("inc:n", "order-1");
    CompletableFuture<Void> whileHeld = tell("inc:n", "order-1"); // follows the first
    assertThat(whileHeld).isNotDone();
    store.held.getFirst().complete(null);
    assertThat(first).isCompleted().isNotCompletedExceptionally();
    assertThat(whileHeld).isCompleted().isNotCompletedExceptionally();

    CompletableFuture<Void> later = tell("inc:n", "order-1");
    assertThat(later).isCompleted().isNotCompletedExceptionally();
    node.tell(A, bytes("inc:n"), "order-1"); // a plain tell with the key is the same message
    assertThat(peek(node, "probe/a", "n")).contains("1");
    assertThat(node.stats().turns()).isOne();
  }

  @Test
  void aRetryAfterAFailedTurnRunsAgain() {
    node.deploy("probe", Probe.WASM);
    failsWith(tell("inc:n;trap", "order-2"), FailureReason.GUEST_TRAP);
    CompletableFuture<Void> retry = tell("inc:n;trap", "order-2");
    failsWith(retry, FailureReason.GUEST_TRAP);
    assertThat(node.stats().turns()).isEqualTo(2);
  }

  @Test
  void refusedMessagesThrowAsTellDoesAndLeaveNothingPending() {
    assertThatThrownBy(() -> tell("inc:n", null)).isInstanceOf(UnknownActorTypeException.class);
    node.deploy("probe", Probe.WASM);
    assertThatThrownBy(() -> tell("inc:n", "has space"))
        .isInstanceOf(InvalidIdempotencyKeyException.class);
    tell("inc:n", "k");
    assertThatThrownBy(() -> tell("inc:other", "k"))
        .isInstanceOf(IdempotencyKeyReusedException.class);
    assertThatThrownBy(() -> node.ask(A, bytes("inc:n"), null, "k").toCompletableFuture().join())
        .hasCauseInstanceOf(IdempotencyKeyReusedException.class); // an ask is another message
  }
}
