package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RequestsTest {
  private final Timers timers = new Timers();
  private final List<Message.Reply> toActors = new ArrayList<>();
  private final Requests requests = new Requests("n1", 41, timers, toActors::add);
  private final Address target = Address.parse("t/x");

  private CompletableFuture<byte[]> external(long deadline) {
    var f = new CompletableFuture<byte[]>();
    requests.register(new Requests.External(target, f, Duration.ofSeconds(1)), deadline);
    return f;
  }

  @Test
  void requestsAreNamedByNodeAndIdFromTheStartingPoint() {
    RequestRef first =
        requests.register(
            new Requests.External(target, new CompletableFuture<>(), Duration.ofSeconds(1)), 100);
    assertThat(first).isEqualTo(new RequestRef("n1", 42));
    assertThat(requests.holds(first)).isTrue();
    assertThat(requests.holds(new RequestRef("n2", 42))).isFalse();
  }

  @Test
  void anAnswerCompletesItsRequestOnceAndCancelsItsTimeout() {
    var f = new CompletableFuture<byte[]>();
    RequestRef ref =
        requests.register(new Requests.External(target, f, Duration.ofSeconds(1)), 100);
    assertThat(timers.size()).isOne();
    assertThat(requests.complete(Answer.ok(ref, target, "hi".getBytes()))).isTrue();
    assertThat(f).isCompletedWithValueMatching(b -> new String(b).equals("hi"));
    assertThat(timers.size()).isZero();
    assertThat(requests.complete(Answer.ok(ref, target, "again".getBytes()))).isFalse();
    assertThat(requests.isPending(ref)).isFalse();
  }

  @Test
  void aFailedAnswerKeepsItsReason() {
    var f = new CompletableFuture<byte[]>();
    RequestRef ref =
        requests.register(new Requests.External(target, f, Duration.ofSeconds(1)), 100);
    requests.complete(Answer.failed(ref, target, FailureReason.TURN_TIMEOUT, "too slow"));
    assertThat(f)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            TurnFailedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.TURN_TIMEOUT);
              assertThat(e).hasMessage("too slow");
            });
  }

  @Test
  void anActorsAskIsAnsweredWithAReplyMessageCarryingItsCorrelation() {
    Address asker = Address.parse("t/asker");
    RequestRef ref = requests.register(new Requests.FromActor(target, asker, 7, null), 100);
    requests.complete(Answer.ok(ref, target, "ok".getBytes()));
    assertThat(toActors)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.target()).isEqualTo(asker);
              assertThat(r.sender()).isEqualTo(target);
              assertThat(r.correlationId()).isEqualTo(7);
              assertThat(r.replyStatus()).isEqualTo(ReplyStatus.OK);
            });
  }

  @Test
  void aRequestTimesOutWhenItsTimersAreAdvancedPastItsDeadline() {
    CompletableFuture<byte[]> f = external(100);
    Address asker = Address.parse("t/asker");
    requests.register(new Requests.FromActor(target, asker, 9, null), 100);
    timers.advanceTo(99);
    assertThat(f).isNotDone();
    timers.advanceTo(100);
    assertThat(f)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(AskTimeoutException.class);
    assertThat(toActors)
        .singleElement()
        .satisfies(r -> assertThat(r.replyStatus()).isEqualTo(ReplyStatus.TIMEOUT));
    assertThat(requests.size()).isZero();
  }

  @Test
  void replyHandlesNameTheRequestAndAnythingElseIsNotAHandle() {
    RequestRef ref = new RequestRef("node-7.eu", 123);
    assertThat(Requests.parseHandle(Requests.handle(ref))).isEqualTo(ref);
    for (String bad :
        List.of("garbage", "mayfly:", "mayfly:n:", "mayfly:n:x", "mayfly::5", "mayfly:n:-1")) {
      assertThat(Requests.parseHandle(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isNull();
    }
  }

  @Test
  void closingFailsEveryPendingRequest() {
    CompletableFuture<byte[]> f = external(1000);
    requests.failAll(new NodeClosedException("closed"));
    assertThat(f).isCompletedExceptionally();
    assertThat(requests.size()).isZero();
  }
}
