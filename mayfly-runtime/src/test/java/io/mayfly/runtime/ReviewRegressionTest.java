package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Defects a review of the node found, each pinned by the behaviour users depend on. */
class ReviewRegressionTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void changingTheBuilderAfterBuildDoesNotChangeTheNode() {
    Mayfly.Builder builder = Mayfly.builder().synchronous(true).clock(clock);
    try (Mayfly node = builder.build()) {
      builder.batchSize(0).workers(0).nodeId("changed");
      node.deploy("probe", Probe.WASM);
      assertThat(ask(node, "probe/a", "inc:n")).isEqualTo("1");
      assertThat(node.config().batchSize()).isEqualTo(32);
      assertThat(node.config().nodeId()).isEqualTo("local");
    }
  }

  @Test
  void stateKeysAreChargedInUtf8Bytes() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().maxStateBytes(10).build());
      // five two-byte characters and one byte of value: 11 bytes, over the limit of 10
      assertThat(ask(node, "probe/a", "put:ééééé=x")).isEqualTo("-3");
      assertThat(ask(node, "probe/a", "put:éééé=x")).isEqualTo("0");
    }
  }

  @Test
  void anAskTimeoutTooLargeForTheClockIsRefusedNamingIt() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      CompletableFuture<byte[]> f =
          node.ask(Address.parse("probe/a"), bytes("self"), Duration.ofDays(999_999_999))
              .toCompletableFuture();
      assertThat(f)
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(InvalidConfigException.class)
          .withMessageContaining("ask timeout");
    }
  }

  @Test
  void anAskQueuedWhenItsTypeIsUndeployedFailsAsUnknownType() {
    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      node.deploy(
          "probe", Probe.WASM, TypeConfig.builder().turnTimeout(Duration.ofMillis(300)).build());
      CompletableFuture<byte[]> busy =
          node.ask(Address.parse("probe/busy"), bytes("loop"), Duration.ofSeconds(30))
              .toCompletableFuture();
      CompletableFuture<byte[]> queued =
          node.ask(Address.parse("probe/other"), bytes("self"), Duration.ofSeconds(30))
              .toCompletableFuture();
      node.undeploy("probe");
      await().atMost(Duration.ofSeconds(20)).until(() -> busy.isDone() && queued.isDone());
      if (queued.isCompletedExceptionally()) {
        assertThat(queued.exceptionNow()).isInstanceOf(UnknownActorTypeException.class);
      } else {
        assertThat(Probe.text(queued.join())).isEqualTo("probe/other"); // ran before the undeploy
      }
    }
  }

  @Test
  void aFailingTellIsCountedByTypeAndReason() {
    // (FailureLogTest covers the log line the node writes for it.)
    var registry = new SimpleMeterRegistry();
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).meterRegistry(registry).build()) {
      node.deploy("probe", Probe.WASM);
      node.tell(Address.parse("probe/a"), bytes("trap"));
      node.tell(Address.parse("probe/a"), bytes("fail:3"));
      assertThat(failed(registry, "guest_trap")).isEqualTo(1);
      assertThat(failed(registry, "guest_error")).isEqualTo(1);
      assertThat(registry.get("mayfly.turns").tag("type", "probe").functionCounter().count())
          .isEqualTo(2);
      node.undeploy("probe");
      assertThat(registry.find("mayfly.turns").tag("type", "probe").functionCounter()).isNull();
    }
  }

  private static double failed(SimpleMeterRegistry registry, String reason) {
    return registry
        .get("mayfly.turns.failed")
        .tag("type", "probe")
        .tag("reason", reason)
        .functionCounter()
        .count();
  }

  @Test
  void anExpiredActorStopsHearingItsTopicsAndHearsThemAgainWhenItSubscribesAnew() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy(
          "probe",
          Probe.WASM,
          TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofSeconds(1))).build());
      ask(node, "probe/a", "sub:news/#");
      clock.advance(Duration.ofSeconds(2));
      assertThat(node.state(Address.parse("probe/a"))).isEmpty();
      node.publish("news/x", bytes("lost"));
      assertThat(node.state(Address.parse("probe/a"))).isEmpty();
      ask(node, "probe/a", "sub:news/#");
      node.publish("news/y", bytes("heard"));
      assertThat(peek(node, "probe/a", "inbox").orElseThrow())
          .contains("news/y")
          .doesNotContain("news/x");
    }
  }
}
