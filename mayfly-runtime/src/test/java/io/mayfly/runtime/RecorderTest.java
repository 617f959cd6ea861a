package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecorderTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void nothingIsRecordedByDefault() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      ask(node, "probe/a", "put:k=v");
      assertThat(node.recorder().recorded("probe")).isEmpty();
      assertThat(node.recorder().isRecording(Address.parse("probe/a"))).isFalse();
      assertThat(node.recorder().status()).isEmpty();
    }
  }

  @Test
  void aRecordedActorKeepsEveryTurnWithItsStateAndEffectsUntilStopped() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      Address a = Address.parse("probe/a");
      node.recorder().start(a);
      ask(node, "probe/a", "put:k=v");
      ask(node, "probe/b", "put:k=w");
      ask(node, "probe/a", "put:k=x");
      node.recorder().stop(a);
      ask(node, "probe/a", "put:k=y");
      var turns = node.recorder().recorded(a);
      assertThat(turns).hasSize(2);
      assertThat(turns.get(0).stateBefore()).isEmpty();
      assertThat(Probe.text(turns.get(0).stateAfter().get("k"))).isEqualTo("v");
      assertThat(Probe.text(turns.get(1).stateBefore().get("k"))).isEqualTo("v");
      assertThat(turns.get(1).effects()).hasAtLeastOneElementOfType(Effect.Reply.class);
      assertThat(turns.get(1).nowNanos()).isEqualTo(clock.nanoTime());
      assertThat(node.recorder().recorded("probe")).hasSize(2);
      String sha = turns.get(0).type().module().sha256();
      assertThat(node.recorder().module(sha))
          .hasValueSatisfying(m -> assertThat(m).isEqualTo(Probe.WASM));
    }
  }

  @Test
  void failedTurnsAreKeptWhileRecordingIsOffBoundedPerType() {
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).recordFailedTurns(3).build()) {
      node.deploy("probe", Probe.WASM);
      ask(node, "probe/a", "put:k=v");
      for (int i = 0; i < 5; i++) {
        Probe.tell(node, "probe/a", "trap");
      }
      var kept = node.recorder().recorded("probe");
      assertThat(kept).hasSize(3);
      assertThat(kept)
          .allSatisfy(
              t -> {
                assertThat(t.failure().reason()).isEqualTo(FailureReason.GUEST_TRAP);
                assertThat(Probe.text(t.stateBefore().get("k"))).isEqualTo("v");
                assertThat(Probe.text(t.message().payload())).isEqualTo("trap");
              });
      assertThat(node.recorder().status().getFirst().dropped()).isEqualTo(2);
    }
  }

  @Test
  void recordingAnUndeployedTypeIsRefused() {
    try (Mayfly node = Probe.syncNode(clock)) {
      assertThatThrownBy(() -> node.recorder().start("nope"))
          .isInstanceOf(UnknownActorTypeException.class)
          .hasMessageContaining("nope");
    }
  }

  @Test
  void recordingStaysWithinItsBoundsUnderConcurrentLoadAndSwitches() throws Exception {
    var registry = new SimpleMeterRegistry();
    try (Mayfly node =
            Mayfly.builder()
                .workers(2)
                .recordTurns(50)
                .recordBytes(1 << 16)
                .meterRegistry(registry)
                .build();
        ExecutorService senders = Executors.newFixedThreadPool(4)) {
      node.deploy("probe", Probe.WASM);
      node.deploy("other", Probe.WASM);
      node.recorder().start("probe");
      String big = "x".repeat(2000);
      var sent = new ArrayList<Future<?>>();
      for (int s = 0; s < 4; s++) {
        int sender = s;
        sent.add(
            senders.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    Probe.tell(node, "probe/a" + (i % 16), "put:k=" + (sender == 0 ? big : "v"));
                    Probe.tell(node, "other/a" + (i % 16), "put:k=v");
                    if (sender == 1 && i % 50 == 0) {
                      node.recorder().stop("probe");
                      node.recorder().start("probe");
                    }
                  }
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> node.stats().turns() == 4000);
      Recorder.Status status = node.recorder().status().getFirst();
      assertThat(status.type()).isEqualTo("probe");
      assertThat(status.wholeType()).isTrue();
      assertThat(status.turns()).isPositive().isLessThanOrEqualTo(50);
      assertThat(status.bytes()).isPositive().isLessThanOrEqualTo(1 << 16);
      assertThat(status.dropped()).isPositive();
      assertThat(node.recorder().recorded("other")).isEmpty();
      assertThat(node.recorder().recorded("probe"))
          .hasSize(status.turns())
          .allSatisfy(t -> assertThat(t.address().type()).isEqualTo("probe"));
      assertThat(registry.get("mayfly.recorder.turns").gauge().value()).isEqualTo(status.turns());
      assertThat(registry.get("mayfly.recorder.bytes").gauge().value()).isEqualTo(status.bytes());
      assertThat(registry.get("mayfly.recorder.dropped").functionCounter().count())
          .isEqualTo(status.dropped());
      node.recorder().stop("probe");
      long before = node.stats().turns();
      for (int i = 0; i < 20; i++) {
        Probe.tell(node, "probe/a1", "put:k=v");
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> node.stats().turns() == before + 20);
      assertThat(node.recorder().status().getFirst().dropped()).isEqualTo(status.dropped());
    }
  }
}
