package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every queue of an actor is bounded: mailbox, pending timers, pending asks, the node's bytes. */
class QueueBoundsTest {
  private final ManualClock clock = ManualClock.create();

  private static String repeat(String command, int times) {
    return String.join(";", java.util.Collections.nCopies(times, command));
  }

  @Test
  void anActorMayHaveAtMostAMailboxWorthOfTimersPending() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(3).build());
      String[] ids = ask(node, "probe/a", repeat("timer:100=app:t=x", 5)).split(",");
      assertThat(ids).hasSize(5);
      assertThat(ids[2]).isNotEqualTo("-5");
      assertThat(ids[3]).isEqualTo("-5");
      assertThat(ids[4]).isEqualTo("-5");
      assertThat(node.state(Address.parse("probe/a")).orElseThrow().pendingTimers()).isEqualTo(3);
      clock.advance(Duration.ofMillis(100));
      assertThat(peek(node, "probe/a", "t")).contains("x x x ");
    }
  }

  @Test
  void timerPayloadsCountAgainstTheStateLimit() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().maxStateBytes(40).build());
      // 16-byte payloads: two fit in 40 bytes, a third does not; a key then has 8 bytes left.
      assertThat(ask(node, "probe/a", repeat("timer:100=app:t=0123456789", 3)))
          .matches("[0-9]+,[0-9]+,-3");
      assertThat(ask(node, "probe/a", "put:k=12345678")).isEqualTo("-3");
      assertThat(ask(node, "probe/a", "put:k=1234567")).isEqualTo("0");
    }
  }

  @Test
  void anAskPastTheActorsPendingLimitIsAnsweredUndeliverableAtOnce() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(2).build());
      // probe/b keeps each ask unanswered; probe/a asks it three times.
      ask(node, "probe/a", repeat("ask:probe/b=handle:h", 3));
      String inbox = peek(node, "probe/a", "inbox").orElseThrow();
      assertThat(inbox.lines()).hasSize(1);
      assertThat(inbox).startsWith("2|").contains("|3|").contains("asks pending");
      assertThat(node.stats().pendingAsks()).isEqualTo(2);
    }
  }

  @Test
  void pastTheQueueBudgetIngressIsRefusedAndNothingOfTheMessageRemains() {
    try (Mayfly node = Mayfly.builder().workers(1).queueBudgetBytes(1 << 16).build()) {
      node.deploy(
          "probe",
          Probe.WASM,
          TypeConfig.builder().turnTimeout(Duration.ofSeconds(5)).mailboxCapacity(1000).build());
      // The one worker is busy with a turn that loops; messages queue behind it.
      node.tell(Address.parse("probe/busy"), Probe.bytes("loop"));
      byte[] kib = new byte[2048]; // over the size checked on every message
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  node.tell(Address.parse("probe/q" + (i % 10)), kib);
                }
              })
          .isInstanceOf(OverloadedException.class)
          .hasMessageContaining("budget 65536 bytes");
      NodeStats s = node.stats();
      assertThat(s.queuedBytes()).isLessThanOrEqualTo(1 << 16);
      assertThat(s.overloaded()).isOne();
      assertThat(s.rejected()).isOne();
    }
  }
}
