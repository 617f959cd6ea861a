package io.mayfly.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.AskTimeoutException;
import io.mayfly.runtime.DeployException;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.MessageTooLargeException;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.wasm.InvalidModuleException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit on small WAT actors, one behaviour each (see {@link Guests}). */
class ActorTestKitTest {
  private static final Instant START = Instant.parse("2030-05-01T12:00:00Z");

  private static ActorTestKit kit(byte[] module) {
    return ActorTestKit.builder(module).address("svc/a").startingAt(START).build();
  }

  private static String utf8(byte[] b) {
    return new String(b, UTF_8);
  }

  @Test
  void stateDiffShowsAddedChangedAndRemovedKeys() {
    try (var kit = kit(Guests.LEDGER)) {
      TurnResult init = kit.tell("init");
      assertThat(init.committed()).isTrue();
      assertThat(init.stateBefore()).isEmpty();
      assertThat(init.stateDiff().added()).containsOnlyKeys("a", "b");
      assertThat(utf8(init.stateDiff().added().get("a"))).isEqualTo("1");

      TurnResult update = kit.tell("update");
      StateDiff diff = update.stateDiff();
      assertThat(diff.added()).containsOnlyKeys("c");
      assertThat(diff.changed()).containsOnlyKeys("a");
      assertThat(utf8(diff.changed().get("a").before())).isEqualTo("1");
      assertThat(utf8(diff.changed().get("a").after())).isEqualTo("3");
      assertThat(diff.removed()).containsOnlyKeys("b");
      assertThat(diff.keys()).containsExactly("c", "a", "b");
      assertThat(update.stateAfter()).containsOnlyKeys("a", "c");
      assertThat(kit.state()).containsOnlyKeys("a", "c");
      assertThat(kit.state("c")).hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("4"));

      assertThat(kit.tell("update").stateDiff().isEmpty()).isTrue();
      assertThat(kit.turns()).containsExactly(init, update, kit.turns().get(2));
    }
  }

  @Test
  void sendsAsksPublicationsAndLogsAreCapturedNotDelivered() {
    try (var kit = kit(Guests.GATEWAY)) {
      TurnResult r = kit.tell("order-1");

      assertThat(r.logs()).containsExactly(new Effect.Log(2, "handling"));
      assertThat(r.sends())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.to()).isEqualTo(Address.parse("audit/log"));
                assertThat(utf8(s.payload())).isEqualTo("order-1");
              });
      assertThat(r.asks())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.to()).isEqualTo(Address.parse("db/main"));
                assertThat(utf8(a.payload())).isEqualTo("order-1");
                assertThat(a.timeout()).isEqualTo(Duration.ofMillis(200));
              });
      assertThat(r.publications())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.topic()).isEqualTo("orders/new");
                assertThat(utf8(p.payload())).isEqualTo("order-1");
              });
      assertThat(r.effects())
          .hasExactlyElementsOfTypes(
              Effect.Log.class, Effect.Send.class, Effect.Ask.class, Effect.Publish.class);

      List<Message> outbox = kit.outbox();
      assertThat(outbox)
          .extracting(Message::kind)
          .containsExactly(MessageKind.TELL, MessageKind.ASK);
      assertThat(outbox)
          .extracting(Message::target)
          .containsExactly(Address.parse("audit/log"), Address.parse("db/main"));
      assertThat(outbox).allSatisfy(m -> assertThat(m.sender()).isEqualTo(kit.address()));
      assertThat(((Message.Ask) outbox.get(1)).request().node()).isEqualTo("testkit");
      assertThat(kit.pendingAsks()).containsExactlyElementsOf(r.asks());
      assertThat(kit.turns()).containsExactly(r);
    }
  }

  @Test
  void answeringAnAskRunsAReplyTurnWithItsCorrelationId() {
    try (var kit = kit(Guests.GATEWAY)) {
      Effect.Ask ask = kit.tell("order-1").asks().getFirst();

      TurnResult replied = kit.answer(ask, "stock:5");

      assertThat(replied.kind()).isEqualTo(MessageKind.REPLY);
      assertThat(replied.message().correlationId()).isEqualTo(ask.correlationId());
      assertThat(replied.message().replyStatus()).isEqualTo(ReplyStatus.OK);
      assertThat(replied.message().sender()).isEqualTo(Address.parse("db/main"));
      assertThat(utf8(replied.payload())).isEqualTo("stock:5");
      assertThat(kit.state("reply"))
          .hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("stock:5"));
      assertThat(kit.state("status").orElseThrow()).containsExactly(0);
      assertThat(Guests.i64(kit.state("corr").orElseThrow())).isEqualTo(ask.correlationId());
      assertThat(kit.pendingAsks()).isEmpty();
      assertThat(kit.advance(Duration.ofSeconds(1))).as("no timeout after the answer").isEmpty();
      assertThatThrownBy(() -> kit.answer(ask, "again"))
          .isInstanceOf(TestKitException.class)
          .hasMessageContaining("already ended");
    }
  }

  @Test
  void askCanBeFailedByTheTest() {
    try (var kit = kit(Guests.GATEWAY)) {
      Effect.Ask ask = kit.tell("order-1").asks().getFirst();

      TurnResult failed = kit.answer(ask, ReplyStatus.FAILED, "db is down".getBytes(UTF_8));

      assertThat(failed.message().replyStatus()).isEqualTo(ReplyStatus.FAILED);
      assertThat(utf8(failed.payload())).isEqualTo("db is down");
      assertThat(kit.state("status").orElseThrow()).containsExactly(2);
    }
  }

  @Test
  void unansweredAskTimesOutAsAReplyTurnOnAdvance() {
    try (var kit = kit(Guests.GATEWAY)) {
      Effect.Ask ask = kit.tell("order-1").asks().getFirst();

      assertThat(kit.advance(Duration.ofMillis(199))).isEmpty();
      List<TurnResult> fired = kit.advance(Duration.ofMillis(1));

      assertThat(fired)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.kind()).isEqualTo(MessageKind.REPLY);
                assertThat(t.message().replyStatus()).isEqualTo(ReplyStatus.TIMEOUT);
                assertThat(t.message().correlationId()).isEqualTo(ask.correlationId());
                assertThat(t.payload()).isEmpty();
                assertThat(t.time()).isEqualTo(START.plusMillis(200));
              });
      assertThat(kit.state("status").orElseThrow()).containsExactly(1);
      assertThat(kit.pendingAsks()).isEmpty();
      assertThatThrownBy(() -> kit.answer(ask, "late"))
          .isInstanceOf(TestKitException.class)
          .hasMessageContaining("already ended");
    }
  }

  @Test
  void answeringAnAskTheActorNeverMadeIsRefused() {
    try (var kit = kit(Guests.GATEWAY)) {
      var invented =
          new Effect.Ask(Address.parse("db/main"), new byte[0], 999, Duration.ofSeconds(1));
      assertThatThrownBy(() -> kit.answer(invented, "x"))
          .isInstanceOf(TestKitException.class)
          .hasMessageContaining("was not made");
    }
  }

  @Test
  void timersFireInDueOrderEachAtItsOwnTime() {
    try (var kit = kit(Guests.TIMERS)) {
      TurnResult start = kit.tell("start");
      assertThat(start.timersSet())
          .extracting(Effect.SetTimer::delay)
          .containsExactly(Duration.ofMillis(100), Duration.ofMillis(50));
      long late = start.timersSet().get(0).timerId();
      long early = start.timersSet().get(1).timerId();

      List<TurnResult> fired = kit.advance(Duration.ofMillis(200));

      assertThat(fired).extracting(TurnResult::kind).containsOnly(MessageKind.TIMER);
      assertThat(fired)
          .extracting(t -> utf8(t.payload()))
          .containsExactly("early", "chained", "late");
      assertThat(fired)
          .extracting(TurnResult::time)
          .containsExactly(START.plusMillis(50), START.plusMillis(60), START.plusMillis(100));
      assertThat(fired.get(0).message().correlationId()).isEqualTo(early);
      assertThat(fired.get(2).message().correlationId()).isEqualTo(late);
      assertThat(fired.get(0).logs()).containsExactly(new Effect.Log(2, "early"));
      assertThat(kit.state("last")).hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("late"));
      assertThat(kit.now()).isEqualTo(START.plusMillis(200));
      assertThat(kit.snapshot().orElseThrow().pendingTimers()).isZero();
    }
  }

  @Test
  void timersDoNotFireBeforeTheyAreDue() {
    try (var kit = kit(Guests.TIMERS)) {
      kit.tell("start");
      assertThat(kit.advance(Duration.ofMillis(49))).isEmpty();
      assertThat(kit.advance(Duration.ofMillis(1)))
          .extracting(t -> utf8(t.payload()))
          .containsExactly("early");
      assertThat(kit.snapshot().orElseThrow().pendingTimers()).isEqualTo(2);
    }
  }

  @Test
  void actorsOwnMessagesRunRightAfterTheTurnThatSentThem() {
    try (var kit = kit(Guests.ECHO)) {
      TurnResult go = kit.tell("go");

      assertThat(go.sends())
          .singleElement()
          .satisfies(s -> assertThat(s.to()).isEqualTo(kit.address()));
      assertThat(go.stateDiff().isEmpty()).isTrue();
      assertThat(kit.turns()).hasSize(2).first().isSameAs(go);
      TurnResult pong = kit.turns().get(1);
      assertThat(utf8(pong.payload())).isEqualTo("pong");
      assertThat(pong.message().sender()).isEqualTo(kit.address());
      assertThat(kit.state("got")).hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("pong"));
      assertThat(kit.outbox()).as("messages to itself stay local").isEmpty();
    }
  }

  @Test
  void deferredReplyAnswersTheAskInALaterTurn() {
    try (var kit = kit(Guests.DEFERRED)) {
      AskResult ask = kit.ask("question");
      assertThat(ask.pending()).isTrue();
      assertThat(ask.turn().reply()).isEmpty();
      assertThat(ask.turn().stateDiff().added()).containsOnlyKeys("h");

      TurnResult answer = kit.tell("go");

      assertThat(answer.replies())
          .singleElement()
          .satisfies(r -> assertThat(utf8(r.payload())).isEqualTo("done"));
      assertThat(ask.pending()).isFalse();
      assertThat(ask.replyUtf8()).contains("done");
      assertThat(ask.failure()).isEmpty();
    }
  }

  @Test
  void deferredAskTimesOutOnAdvance() {
    try (var kit = kit(Guests.DEFERRED)) {
      AskResult ask = kit.ask("question".getBytes(UTF_8), Duration.ofSeconds(1));

      assertThat(kit.advance(Duration.ofSeconds(1))).isEmpty();

      assertThat(ask.failure()).containsInstanceOf(AskTimeoutException.class);
      assertThatThrownBy(ask::replyOrThrow).isInstanceOf(AskTimeoutException.class);
      assertThat(kit.tell("go").replies()).as("reply_to an expired request is refused").isEmpty();
    }
  }

  @Test
  void publicationsReachTheActorOnceSubscribed() {
    try (var kit = kit(Guests.LISTENER)) {
      assertThat(kit.publish("news/today", "x")).isEmpty();

      TurnResult subscribed = kit.tell("hello");
      assertThat(subscribed.subscriptions()).containsExactly(new Effect.Subscribe("news/#"));
      assertThat(kit.snapshot().orElseThrow().subscriptions()).containsExactly("news/#");

      List<TurnResult> turns = kit.publish("news/today", "x");
      assertThat(turns)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.kind()).isEqualTo(MessageKind.PUBLICATION);
                assertThat(t.message().topic()).isEqualTo("news/today");
              });
      assertThat(kit.state("topic"))
          .hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("news/today"));
      assertThat(kit.publish("weather/today", "y")).isEmpty();
    }
  }

  @Test
  void typeConfigRoutesTopicsToTheActor() {
    TypeConfig config = TypeConfig.builder().subscribe("feeds/+", "{1}").build();
    try (var kit = ActorTestKit.builder(Guests.LISTENER).address("svc/a").config(config).build()) {
      assertThat(kit.publish("feeds/a", "x"))
          .singleElement()
          .satisfies(t -> assertThat(t.kind()).isEqualTo(MessageKind.PUBLICATION));
      assertThat(kit.publish("feeds/b", "x")).as("routed to svc/b, another actor").isEmpty();
      assertThat(kit.outbox())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.target()).isEqualTo(Address.parse("svc/b"));
                assertThat(m.kind()).isEqualTo(MessageKind.PUBLICATION);
              });
    }
  }

  @Test
  void senderIsWhatTheTestSays() {
    try (var kit = kit(Guests.LISTENER)) {
      TurnResult r = kit.tellFrom(Address.parse("device/7"), "hi".getBytes(UTF_8));
      assertThat(r.message().sender()).isEqualTo(Address.parse("device/7"));
      assertThat(kit.state("from"))
          .hasValueSatisfying(v -> assertThat(utf8(v)).isEqualTo("device/7"));
      assertThat(kit.tell("hi").stateDiff().removed()).isEmpty();
    }
  }

  @Test
  void sharedDataIsReadableByTheActor() {
    try (var kit = kit(Guests.LISTENER)) {
      AskResult without = kit.ask("greet");
      assertThat(without.turn().failure())
          .hasValueSatisfying(f -> assertThat(f.reason().code()).isEqualTo("guest_error"));
      assertThat(without.failure()).containsInstanceOf(TurnFailedException.class);

      kit.putSharedData("greeting", "hello".getBytes(UTF_8));

      AskResult with = kit.ask("greet");
      assertThat(with.replyUtf8()).contains("hello");
      assertThat(with.turn().replyUtf8()).contains("hello");
      assertThat(kit.removeSharedData("greeting")).isTrue();
    }
  }

  @Test
  void oversizedMessagesAreRefusedLikeTheNodeWould() {
    TypeConfig small = TypeConfig.builder().maxMessageBytes(4).build();
    try (var kit = ActorTestKit.builder(Guests.ECHO).config(small).build()) {
      assertThatThrownBy(() -> kit.tell("12345")).isInstanceOf(MessageTooLargeException.class);
      assertThatThrownBy(() -> kit.ask("12345")).isInstanceOf(MessageTooLargeException.class);
      assertThatThrownBy(() -> kit.tellFrom(Address.parse("a/b"), new byte[5]))
          .isInstanceOf(MessageTooLargeException.class);
      assertThat(kit.turns()).isEmpty();
    }
  }

  @Test
  void turnDescribesItselfForPeopleReadingAFailedTest() {
    try (var kit = kit(Guests.GATEWAY)) {
      String text = kit.tell("order-1").toString();
      assertThat(text)
          .startsWith("TELL to svc/a: \"order-1\" at 2030-05-01T12:00:00Z")
          .contains("committed", "log INFO handling", "send audit/log \"order-1\"")
          .contains("ask db/main \"order-1\"", "publish orders/new \"order-1\"");
    }
  }

  @Test
  void builderRejectsBadInput() {
    assertThatThrownBy(() -> ActorTestKit.builder(Guests.ECHO).address("no-slash"))
        .isInstanceOf(InvalidAddressException.class);
    assertThatThrownBy(() -> ActorTestKit.builder(new byte[] {0, 1, 2, 3}).build())
        .isInstanceOf(InvalidModuleException.class);
    assertThatThrownBy(() -> ActorTestKit.builder(Path.of("does/not/exist.wasm")))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("exist.wasm");
    try (var kit = kit(Guests.ECHO)) {
      assertThatThrownBy(() -> kit.advance(Duration.ofMillis(-1)))
          .isInstanceOf(InvalidConfigException.class);
    }
  }
}
