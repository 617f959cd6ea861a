package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static io.mayfly.runtime.Probe.tell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.wasm.testing.Wat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request/reply: answers, timeouts, deferred replies, failures; an ask never blocks a turn. */
class AskTest {
  private final ManualClock clock = ManualClock.create();
  private final Mayfly node = Probe.syncNode(clock);

  @BeforeEach
  void deploy() {
    node.deploy(
        "probe", Probe.WASM, TypeConfig.builder().askTimeout(Duration.ofSeconds(2)).build());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private CompletableFuture<byte[]> askAsync(String address, String script, Duration timeout) {
    return node.ask(Address.parse(address), Probe.bytes(script), timeout).toCompletableFuture();
  }

  @Test
  void anActorAsksAnotherAndGetsTheAnswerAsAReplyMessage() {
    String id = ask(node, "probe/a", "ask:probe/b=reply:pong");
    assertThat(peek(node, "probe/a", "inbox")).contains("2|" + id + "|0|-|probe/b|pong\n");
  }

  @Test
  void anAskWithoutAnswerTimesOutAsAReplyWithStatusTimeout() {
    String id = ask(node, "probe/a", "ask:probe/b=handle:h");
    assertThat(peek(node, "probe/a", "inbox")).isEmpty();
    clock.advance(Duration.ofMillis(1999));
    assertThat(peek(node, "probe/a", "inbox")).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(peek(node, "probe/a", "inbox")).contains("2|" + id + "|1|-|probe/b|\n");
  }

  @Test
  void answeredAsksLeaveNeitherARequestNorATimeoutBehind() {
    for (int i = 0; i < 100; i++) {
      assertThat(ask(node, "probe/a" + i, "inc:n")).isEqualTo("1");
      ask(node, "probe/b" + i, "ask:probe/c=reply:pong");
    }
    assertThat(node.stats().pendingAsks()).isZero();
    assertThat(node.stats().pendingTimers()).isZero();

    CompletableFuture<byte[]> unanswered =
        askAsync("probe/d", "noreply;handle:h", Duration.ofSeconds(1));
    assertThat(node.stats().pendingAsks()).isEqualTo(1);
    assertThat(node.stats().pendingTimers()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(unanswered).isCompletedExceptionally();
    assertThat(node.stats().pendingAsks()).isZero();
    assertThat(node.stats().pendingTimers()).isZero();
  }

  @Test
  void aFailedTurnAnswersTheAskerWithStatusFailed() {
    String id = ask(node, "probe/a", "ask:probe/b=trap");
    assertThat(peek(node, "probe/a", "inbox").orElseThrow())
        .startsWith("2|" + id + "|2|-|probe/b|")
        .contains("guest trapped");
  }

  @Test
  void anAskToAnUndeployedTypeIsAnsweredUndeliverable() {
    String id = ask(node, "probe/a", "ask:nobody/b=hi");
    assertThat(peek(node, "probe/a", "inbox").orElseThrow())
        .startsWith("2|" + id + "|3|-|nobody/b|")
        .contains("not deployed");
  }

  @Test
  void aCycleOfAsksDoesNotDeadlock() {
    ask(node, "probe/a", "ask:probe/b=ask:probe/a=reply:from-a");
    // b asked a while a was still waiting for b: both answers arrived as messages.
    assertThat(peek(node, "probe/b", "inbox"))
        .hasValueSatisfying(v -> assertThat(v).endsWith("|probe/a|from-a\n"));
    assertThat(peek(node, "probe/a", "inbox"))
        .hasValueSatisfying(v -> assertThat(v).contains("|probe/b|"));
  }

  @Test
  void aReplyCanBeDeferredToALaterTurnThroughAHandleKeptInState() {
    CompletableFuture<byte[]> pending = askAsync("probe/coord", "handle:h", Duration.ofSeconds(5));
    assertThat(pending).isNotDone();
    tell(node, "probe/coord", "replyto:h=all-done");
    assertThat(pending).isCompletedWithValueMatching(b -> Probe.text(b).equals("all-done"));
    assertThat(ask(node, "probe/coord", "replyto:h=again"))
        .as("a request is answered once")
        .isEqualTo("-7");
  }

  @Test
  void aDeferredReplyCanComeFromATimer() {
    CompletableFuture<byte[]> pending =
        askAsync("probe/coord", "handle:h;timer:500=replyto:h=deadline", Duration.ofSeconds(5));
    clock.advance(Duration.ofMillis(499));
    assertThat(pending).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(pending).isCompletedWithValueMatching(b -> Probe.text(b).equals("deadline"));
  }

  @Test
  void aForeignOrMalformedHandleIsRefused() {
    // An embedded node is the only node: a handle naming another one names no pending request.
    assertThat(ask(node, "probe/a", "put:h=mayfly:othernode:1;replyto:h=x")).isEqualTo("0,-7");
    assertThat(ask(node, "probe/a", "put:h=garbage;replyto:h=x")).isEqualTo("0,-8");
  }

  @Test
  void anExternalAskTimesOutOnTheClock() {
    CompletableFuture<byte[]> pending = askAsync("probe/a", "handle:h", Duration.ofSeconds(1));
    assertThat(pending).isNotDone();
    clock.advance(Duration.ofSeconds(1));
    assertThat(pending)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(AskTimeoutException.class)
        .withMessageContaining("probe/a");
  }

  @Test
  void aTurnThatEndsWithoutReplyingFailsTheAskAtOnce() {
    node.deploy(
        "quiet",
        Wat.actor(
            """
        (func (export "mayfly_handle") (param i32 i32) (result i32) (i32.const 0))
        """));
    assertThatThrownBy(() -> ask(node, "quiet/a", "anything"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("without replying")
        .satisfies(
            e -> assertThat(((TurnFailedException) e).reason().code()).isEqualTo("no_reply"));
  }

  @Test
  void replyingTwiceOrOutsideAnAskIsRefused() {
    assertThat(ask(node, "probe/a", "reply:one;app:rc=x;reply:two;app:rc=x")).isEqualTo("one");
    tell(node, "probe/b", "reply:x;app:rc=x;handle:h;app:rc=x");
    assertThat(peek(node, "probe/b", "rc")).contains("x x ");
    assertThat(peek(node, "probe/b", "h")).isEmpty();
  }

  @Test
  void askingAnUnknownTypeFailsTheStage() {
    assertThatThrownBy(() -> ask(node, "nobody/a", "x"))
        .isInstanceOf(UnknownActorTypeException.class)
        .hasMessageContaining("nobody");
  }
}
