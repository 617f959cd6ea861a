package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Bounded everything: mailboxes, messages, state, effects, the node's byte budget. */
class LimitsTest {
  private final ManualClock clock = ManualClock.create();

  @Test
  void aFullMailboxRefusesWithAnExplicitAnswer() {
    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      node.deploy(
          "probe",
          Probe.WASM,
          TypeConfig.builder().mailboxCapacity(4).turnTimeout(Duration.ofSeconds(2)).build());
      Address a = Address.parse("probe/a");
      node.tell(a, Probe.bytes("loop")); // occupies the only worker until its deadline
      await().until(() -> node.stats().activeActors() == 1);
      for (int i = 0; i < 4; i++) {
        node.tell(a, Probe.bytes("inc:n"));
      }
      assertThatThrownBy(() -> node.tell(a, Probe.bytes("inc:n")))
          .isInstanceOf(MailboxFullException.class)
          .hasMessageContaining("probe/a")
          .hasMessageContaining("4 messages");
      CompletableFuture<byte[]> refused = node.ask(a, Probe.bytes("inc:n")).toCompletableFuture();
      assertThat(refused)
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(MailboxFullException.class);
      assertThat(node.stats().rejected()).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> peek(node, "probe/a", "n").equals(java.util.Optional.of("4")));
    }
  }

  @Test
  void oversizedMessagesAreRefusedAtIngressAndInsideTurns() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().maxMessageBytes(64).build());
      assertThatThrownBy(() -> node.tell(Address.parse("probe/a"), new byte[65]))
          .isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("65 bytes")
          .hasMessageContaining("64");
      node.deploy("small", Probe.WASM, TypeConfig.builder().maxMessageBytes(8).build());
      assertThat(ask(node, "probe/a", "send:small/b=" + "x".repeat(20))).isEqualTo("0");
      assertThat(node.stats().deadLetters()).as("too large for the target type").isEqualTo(1);
      assertThat(node.state(Address.parse("small/b"))).isEmpty();
    }
  }

  @Test
  void stateBeyondTheTypesLimitIsRefused() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().maxStateBytes(40).build());
      assertThat(ask(node, "probe/a", "put:a=" + "x".repeat(30) + ";put:b=" + "y".repeat(30)))
          .isEqualTo("0,-3");
      assertThat(ask(node, "probe/a", "put:a=short;put:b=" + "y".repeat(20))).isEqualTo("0,0");
    }
  }

  @Test
  void effectsPerTurnAreBounded() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().maxEffectsPerTurn(3).build());
      assertThat(
              ask(node, "probe/a", "send:probe/b=x;pub:t=x;timer:5=x;send:probe/c=x;ask:probe/c=x"))
          .isEqualTo("0,0,1,-5,-5");
    }
  }

  @Test
  void badAddressesAndKeysGetClearErrors() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy("probe", Probe.WASM);
      assertThat(ask(node, "probe/a", "send:nobody=x;send:Bad Type/x=y;send:probe/=z;ask:/x=y"))
          .isEqualTo("-2,-2,-2,-2");
      assertThat(ask(node, "probe/a", "put:=v;get:" + "k".repeat(257))).isEqualTo("-6,-6");
      assertThatThrownBy(() -> node.tell(Address.parse("unknown/a"), new byte[0]))
          .isInstanceOf(UnknownActorTypeException.class)
          .hasMessageContaining("'unknown' is not deployed");
    }
  }

  @Test
  void theByteBudgetEvictsActorsAndTheyGetTheirExpiryTurn() {
    long budget = 64 * 1024;
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).stateBudgetBytes(budget).build()) {
      node.deploy("probe", Probe.WASM, TypeConfig.builder().ttl(Ttl.never()).build());
      List<String> flushed = new CopyOnWriteArrayList<>();
      node.subscribe("expired/#", (t, p, from) -> flushed.add(t));
      String kib = "v".repeat(1024);
      for (int i = 0; i < 200; i++) {
        ask(node, "probe/s" + i, "put:flush=" + i + ";put:data=" + kib);
      }
      clock.advance(Duration.ZERO);
      NodeStats stats = node.stats();
      assertThat(stats.evictions()).isGreaterThan(100);
      assertThat(stats.stateBytes()).isLessThanOrEqualTo(budget);
      assertThat(stats.storedActors()).isEqualTo(200 - stats.evictions());
      assertThat(flushed).hasSize((int) stats.evictions());
    }
  }
}
