package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ingress checks and delivery, through a node whose placement owns some actors only. */
class RouterTest {
  private final ManualClock clock = ManualClock.create();
  private final TestCluster cluster = new TestCluster(a -> a.id().startsWith("far") ? "b" : "a");
  private final java.util.List<Message> forwarded = new java.util.ArrayList<>();
  private final Mayfly node =
      cluster.add(
          "a",
          Mayfly.builder()
              .synchronous(true)
              .clock(clock)
              .nodeId("a")
              .placement(cluster.placement("a"))
              .build());
  private final Mayfly far =
      cluster.add(
          "b",
          Mayfly.builder()
              .synchronous(true)
              .clock(clock)
              .nodeId("b")
              .placement(cluster.placement("b"))
              .turnListener(t -> forwarded.add(t.message()))
              .build());

  @AfterEach
  void stop() {
    node.close();
    far.close();
  }

  @Test
  void ingressRefusesUnknownTypesOversizedMessagesAndFullMailboxes() {
    assertThatThrownBy(() -> node.tell(Address.parse("nope/a"), new byte[0]))
        .isInstanceOf(UnknownActorTypeException.class);
    node.deploy("probe", Probe.WASM, TypeConfig.builder().maxMessageBytes(4).build());
    assertThatThrownBy(() -> node.tell(Address.parse("probe/a"), new byte[5]))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("limit of 4 bytes");
    assertThat(node.stats().rejected()).isEqualTo(2);
  }

  @Test
  void messagesForActorsOfAnotherNodeAreForwardedToIt() {
    node.deploy("probe", Probe.WASM);
    far.deploy("probe", Probe.WASM);
    node.tell(Address.parse("probe/far1"), bytes("inc:n"));
    assertThat(forwarded).extracting(m -> m.target().toString()).containsExactly("probe/far1");
    assertThat(node.stats().turns()).isZero();
  }

  @Test
  void anAskBetweenActorsThatCannotBeDeliveredIsAnsweredUndeliverable() {
    node.deploy("probe", Probe.WASM);
    Probe.ask(node, "probe/a", "ask:missing/x=hello");
    assertThat(Probe.peek(node, "probe/a", "inbox").orElseThrow()).startsWith("2|");
    assertThat(Probe.peek(node, "probe/a", "inbox").orElseThrow()).contains("|3|");
    assertThat(node.stats().deadLetters()).isOne();
    clock.advance(Duration.ofSeconds(1));
  }
}
