package io.mayfly.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.wasm.testing.Wat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runtime behaviour the kit relies on, shown on the plain runtime API (no kit). */
class RuntimeSemanticsTest {
  private static final Address A = Address.parse("svc/a");

  private final ManualClock clock = ManualClock.create();
  private final List<TurnRecord> turns = new ArrayList<>();

  private Mayfly syncNode() {
    return Mayfly.builder().synchronous(true).clock(clock).turnListener(turns::add).build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void timerTurnSeesItsDueTimeAndChainedTimersFireInTheSameAdvance() {
    try (Mayfly node = syncNode()) {
      node.deploy("svc", Guests.TIMERS);
      node.tell(A, utf8("start"));
      long start = clock.epochMillis();

      clock.advance(Duration.ofMillis(200));

      List<TurnRecord> timers =
          turns.stream().filter(t -> t.message().kind() == MessageKind.TIMER).toList();
      assertThat(timers).extracting(t -> t.nowMillis() - start).containsExactly(50L, 60L, 100L);
    }
  }

  @Test
  void lateDropOfExpiredStateLeavesTheFreshActorsSubscriptions() {
    try (Mayfly node = syncNode()) {
      TypeConfig ttl500 = TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMillis(500))).build();
      node.deploy("svc", Guests.LISTENER, ttl500);
      node.tell(A, utf8("hi")); // subscribes to news/#
      clock.advance(Duration.ofMillis(600)); // past the TTL; the wheel has not dropped it yet
      node.tell(A, utf8("hi")); // a fresh actor, subscribes again; the old state is dropped now
      assertThat(node.state(A).map(ActorSnapshot::subscriptions).orElseThrow())
          .containsExactly("news/#");
      int before = turns.size();

      node.publish("news/x", utf8("n"));

      assertThat(turns.size() - before).as("the publication reaches the subscribed actor").isOne();
    }
  }

  @Test
  void failedTimerTurnLeavesNoPendingTimer() {
    byte[] trapsOnTimer =
        Wat.actor(
            """
            (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
              (if (i32.eq (call $message_kind) (i32.const 3)) (then unreachable))
              (drop (call $timer_set (i64.const 10) (i32.const 0) (i32.const 0)))
              (i32.const 0))
            """);
    try (Mayfly node = syncNode()) {
      node.deploy("svc", trapsOnTimer);
      node.tell(A, new byte[0]);

      clock.advance(Duration.ofMillis(20));

      assertThat(turns.getLast().failure().reason().code()).isEqualTo("guest_trap");
      assertThat(node.state(A).map(ActorSnapshot::pendingTimers).orElse(0))
          .as("the timer fired, so it is no longer pending")
          .isZero();
      assertThat(node.state(A)).as("nothing else was left to keep").isEmpty();
    }
  }
}
