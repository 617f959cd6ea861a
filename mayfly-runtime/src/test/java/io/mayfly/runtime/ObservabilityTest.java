package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void turnsFailuresStateAndLatencyAreExportedAsMetrics() {
    var registry = new SimpleMeterRegistry();
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).meterRegistry(registry).build()) {
      node.deploy("probe", Probe.WASM);
      ask(node, "probe/a", "put:k=v");
      Probe.tell(node, "probe/a", "trap");
      assertThat(registry.get("mayfly.turns").functionCounter().count()).isEqualTo(2);
      assertThat(
              registry
                  .get("mayfly.turns.failed")
                  .tag("reason", "guest_trap")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("mayfly.actors.stored").gauge().value()).isEqualTo(1);
      assertThat(registry.get("mayfly.state.bytes").gauge().value()).isPositive();
      assertThat(registry.get("mayfly.turn.duration").timer().count()).isEqualTo(2);
    }
  }

  @Test
  void typeStatsCountEachTypesTurnsFailuresActorsAndStateBytes() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      node.deploy("other", Probe.WASM);
      ask(node, "probe/a", "put:k=v");
      ask(node, "probe/b", "put:k=vvvvvvvvvv");
      Probe.tell(node, "probe/a", "trap");
      ask(node, "other/x", "get:k"); // a turn, but no state

      var stats = node.typeStats();
      assertThat(stats)
          .extracting(TypeStats::type)
          .containsExactlyElementsOf(node.types().stream().map(TypeInfo::type).toList())
          .containsExactlyInAnyOrder("other", "probe");
      TypeStats probe = stats.stream().filter(s -> s.type().equals("probe")).findFirst().get();
      assertThat(probe.turns()).isEqualTo(3);
      assertThat(probe.failed()).containsEntry("guest_trap", 1L).containsEntry("turn_timeout", 0L);
      assertThat(probe.storedActors()).isEqualTo(2);
      assertThat(probe.activeActors()).isZero(); // a synchronous node has no mailbox left
      TypeStats other = stats.stream().filter(s -> s.type().equals("other")).findFirst().get();
      assertThat(other.turns()).isEqualTo(1);
      assertThat(other.storedActors()).isZero();
      assertThat(other.stateBytes()).isZero();
      assertThat(probe.stateBytes()).isEqualTo(node.stats().stateBytes());

      // The node's turns are its types' turns, and those of types it no longer has.
      assertThat(node.stats().turns()).isEqualTo(4);
      node.undeploy("other");
      assertThat(node.stats().turns()).isEqualTo(4);
      ask(node, "probe/a", "get:k");
      assertThat(node.stats().turns()).isEqualTo(5);
    }
  }

  @Test
  void anAskAnsweredWithoutAReplyIsCountedAsNoReplyButNotAsAFailedTurn() {
    var registry = new SimpleMeterRegistry();
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).meterRegistry(registry).build()) {
      node.deploy("probe", Probe.WASM);
      assertThatThrownBy(() -> ask(node, "probe/a", "put:k=v;noreply"))
          .isInstanceOfSatisfying(
              TurnFailedException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.NO_REPLY));

      assertThat(node.typeStats().getFirst().failed()).containsEntry("no_reply", 1L);
      assertThat(
              registry
                  .get("mayfly.turns.failed")
                  .tag("reason", "no_reply")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      // The turn committed: its state stays, and the node counts no failed turn.
      assertThat(Probe.peek(node, "probe/a", "k")).contains("v");
      assertThat(node.stats().failedTurns()).isZero();
    }
  }

  @Test
  void aFailingListenerDoesNotUndoTheTurnOrStopTheNode() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      node.subscribe(
          "#",
          (t, p, f) -> {
            throw new IllegalStateException("listener bug");
          });
      assertThat(ask(node, "probe/a", "pub:x=1;put:k=v")).isEqualTo("0,0");
      assertThat(Probe.peek(node, "probe/a", "k")).contains("v");
      assertThat(ask(node, "probe/a", "get:k")).isEqualTo("v");
    }
  }

  @Test
  void aModuleThatCannotCompileInTimeIsRefused() {
    try (Mayfly node =
        Mayfly.builder()
            .synchronous(true)
            .clock(clock)
            .compileTimeout(Duration.ofMillis(1))
            .build()) {
      byte[] large = Probe.WASM;
      assertThatThrownBy(() -> node.deploy("probe", large))
          .isInstanceOf(DeployException.class)
          .hasMessageContaining("took longer than 1ms");
      assertThat(node.types()).isEmpty();
    }
  }
}
