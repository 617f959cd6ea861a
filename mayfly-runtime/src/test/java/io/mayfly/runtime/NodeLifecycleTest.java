package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.testing.Wat;
import io.mayfly.wasm.AbiViolationException;
import io.mayfly.wasm.InvalidModuleException;
import io.mayfly.wasm.TurnTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Deploy, redeploy, undeploy and graceful shutdown. */
class NodeLifecycleTest {
  /** A second version of the probe type: replies with the value of key {@code k}. */
  private static final byte[] READER =
      Wat.actor(
          """
          (data (i32.const 0) "k")
          (func (export "mayfly_handle") (param i32 i32) (result i32)
            (local $r i64)
            (local.set $r (call $state_get (i32.const 0) (i32.const 1)))
            (drop (call $reply (call $ptr (local.get $r)) (call $len (local.get $r))))
            (i32.const 0))
          """);

  private final ManualClock clock = ManualClock.create();

  @Test
  void redeployingSwitchesNewTurnsToTheNewVersionAndKeepsState() {
    try (Mayfly node = Probe.syncNode(clock)) {
      TypeInfo v1 = node.deploy("probe", Probe.WASM);
      assertThat(ask(node, "probe/a", "put:k=kept")).isEqualTo("0");
      TypeInfo v2 = node.deploy("probe", READER);
      assertThat(v1.version()).isEqualTo(1);
      assertThat(v2.version()).isEqualTo(2);
      assertThat(v2.module().sha256()).isNotEqualTo(v1.module().sha256());
      assertThat(ask(node, "probe/a", "anything")).isEqualTo("kept");
      assertThat(node.types()).extracting(TypeInfo::version).containsExactly(2);
    }
  }

  @Test
  void workersRunTheNewVersionAfterARedeployAndReplaceAnInstanceThatTrapped() {
    try (Mayfly node = Mayfly.builder().workers(2).build()) {
      node.deploy("probe", Probe.WASM);
      for (int i = 0; i < 20; i++) {
        assertThat(ask(node, "probe/a" + i, "put:k=v" + i)).isEqualTo("0");
      }
      assertThatThrownBy(() -> ask(node, "probe/t", "put:n=5;trap"))
          .isInstanceOf(TurnFailedException.class);
      assertThat(ask(node, "probe/t", "inc:n")).isEqualTo("1");

      node.deploy("probe", READER);
      for (int i = 0; i < 20; i++) {
        assertThat(ask(node, "probe/a" + i, "anything")).isEqualTo("v" + i);
      }
      assertThat(node.stats().failedTurns()).isEqualTo(1);
    }
  }

  @Test
  void undeployingDropsTheTypeAndItsState() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      ask(node, "probe/a", "put:k=v");
      assertThat(node.undeploy("probe")).isTrue();
      assertThat(node.undeploy("probe")).isFalse();
      assertThat(node.state(Address.parse("probe/a"))).isEmpty();
      assertThatThrownBy(() -> node.tell(Address.parse("probe/a"), new byte[0]))
          .isInstanceOf(UnknownActorTypeException.class);
    }
  }

  @Test
  void aBadModuleIsRefusedAndTheRunningVersionKeepsServing() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      assertThatThrownBy(() -> node.deploy("probe", Probe.bytes("definitely not wasm")))
          .isInstanceOf(InvalidModuleException.class);
      assertThatThrownBy(
              () -> node.deploy("probe", Wat.compile("(module (memory (export \"memory\") 1))")))
          .isInstanceOf(AbiViolationException.class)
          .hasMessageContaining("mayfly_abi_version");
      assertThat(ask(node, "probe/a", "inc:n")).isEqualTo("1");
      assertThat(node.type("probe").orElseThrow().version()).isEqualTo(1);
    }
  }

  @Test
  void aModuleWhoseStartNeverReturnsIsRefusedAtDeploy() {
    try (Mayfly node = Probe.syncNode(clock)) {
      byte[] spinning =
          Wat.actor(
              "(func $spin (loop (br 0))) (start $spin) (func (export \"mayfly_handle\") (param i32 i32) (result i32) (i32.const 0))");
      assertThatThrownBy(
              () ->
                  node.deploy(
                      "spin",
                      spinning,
                      TypeConfig.builder().turnTimeout(Duration.ofMillis(100)).build()))
          .isInstanceOf(TurnTimeoutException.class)
          .hasMessageContaining("start code did not finish");
      assertThat(node.types()).isEmpty();
    }
  }

  @Test
  void badTypeNamesAndConfigurationAreRefusedNamingTheValue() {
    try (Mayfly node = Probe.syncNode(clock)) {
      assertThatThrownBy(() -> node.deploy("Bad Type", Probe.WASM))
          .isInstanceOf(InvalidAddressException.class)
          .hasMessageContaining("Bad Type");
    }
    assertThatThrownBy(() -> TypeConfig.builder().mailboxCapacity(0).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("mailboxCapacity");
    assertThatThrownBy(() -> TypeConfig.builder().turnTimeout(Duration.ZERO).build())
        .hasMessageContaining("turnTimeout");
    assertThatThrownBy(() -> TypeConfig.builder().maxMemoryPages(40_000).build())
        .hasMessageContaining("maxMemoryPages");
    assertThatThrownBy(() -> TypeConfig.builder().subscribe("alerts/#/x", "{1}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("alerts/#/x");
    assertThatThrownBy(() -> TypeConfig.builder().subscribe("alerts/+", ""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("alerts/+");
    assertThatThrownBy(() -> Ttl.afterWrite(Duration.ofSeconds(-1)))
        .hasMessageContaining("ttl duration");
    assertThatThrownBy(() -> Mayfly.builder().workers(0).build()).hasMessageContaining("workers");
    assertThatThrownBy(() -> Mayfly.builder().workerSpin(Duration.ofNanos(-1)).build())
        .hasMessageContaining("workerSpin");
    assertThatThrownBy(() -> Mayfly.builder().workerSpin(Duration.ofMillis(11)).build())
        .hasMessageContaining("workerSpin");
    assertThatThrownBy(() -> Mayfly.builder().nodeId("has space").build())
        .hasMessageContaining("nodeId");
  }

  @Test
  void addressesAreValidated() {
    assertThat(Address.parse("sensor/dev-42:temp")).isEqualTo(Address.of("sensor", "dev-42:temp"));
    assertThatThrownBy(() -> Address.parse("no-slash")).hasMessageContaining("not type/id");
    assertThatThrownBy(() -> Address.parse("sensor/")).hasMessageContaining("id is empty");
    assertThatThrownBy(() -> Address.parse("/x")).hasMessageContaining("type is empty");
    assertThatThrownBy(() -> Address.parse("Sensor/x")).hasMessageContaining("position 0");
    assertThatThrownBy(() -> Address.parse("sensor/a b")).hasMessageContaining("position 1");
    assertThatThrownBy(() -> Address.parse("sensor/a/b")).hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> Address.parse("sensor/" + "x".repeat(257)))
        .hasMessageContaining("longer than 256");
    assertThatThrownBy(() -> Address.parse("sensor/\u0001")).hasMessageContaining("\\x01");
  }

  @Test
  void closingDrainsQueuedMessagesThenRefusesNewOnesAndFailsPendingAsks() {
    Mayfly node = Mayfly.builder().workers(2).build();
    node.deploy("probe", Probe.WASM, TypeConfig.builder().mailboxCapacity(100_000).build());
    CompletableFuture<byte[]> deferred =
        node.ask(Address.parse("probe/coord"), Probe.bytes("handle:h"), Duration.ofMinutes(1))
            .toCompletableFuture();
    for (int i = 0; i < 5_000; i++) {
      Probe.tell(node, "probe/a" + (i % 50), "inc:n");
    }
    node.close();
    long handled = 0;
    for (int i = 0; i < 50; i++) {
      handled += Long.parseLong(peek(node, "probe/a" + i, "n").orElse("0"));
    }
    assertThat(handled)
        .as("every queued message was handled before close returned")
        .isEqualTo(5_000);
    assertThatThrownBy(() -> Probe.tell(node, "probe/a0", "inc:n"))
        .isInstanceOf(NodeClosedException.class);
    assertThat(deferred)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(NodeClosedException.class);
    node.close(); // closing twice is harmless
  }
}
