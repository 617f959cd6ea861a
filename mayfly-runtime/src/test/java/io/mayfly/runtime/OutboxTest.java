package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static io.mayfly.runtime.Probe.tell;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.StateStore;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a store that replicates, the messages a turn sends to other actors are committed with its
 * state, sent again by whoever owns the sender after its node is gone, and handled once by their
 * receivers; with the embedded store none of this happens.
 */
class OutboxTest {
  /** A replicating store shared by the nodes; its saves are held while {@link #holding}. */
  static final class ReplicatedStore extends OutputGateTest.SlowStore {
    volatile boolean holding;

    ReplicatedStore(MayflyClock clock) {
      super(clock);
    }

    @Override
    public CompletionStage<Void> put(Address a, ActorState s, long now) {
      if (holding) {
        return super.put(a, s, now);
      }
      inner.put(a, s, now);
      return StateStore.saved();
    }

    @Override
    public boolean replicated() {
      return true;
    }
  }

  private final ManualClock clock = ManualClock.create();
  private final ReplicatedStore store = new ReplicatedStore(clock);

  /** Actors whose id starts with "b" live on node b, the rest on node a. */
  private final TestCluster cluster =
      new TestCluster(address -> address.id().startsWith("b") ? "b" : "a");

  private final Mayfly a = node("a");
  private final Mayfly b = node("b");

  private Mayfly node(String id) {
    Mayfly n =
        Mayfly.builder()
            .synchronous(true)
            .clock(clock)
            .nodeId(id)
            .stateStore(store)
            .placement(cluster.placement(id))
            .idempotencyKeysPerActor(2)
            .build();
    n.deploy("probe", Probe.WASM);
    return cluster.add(id, n);
  }

  @AfterEach
  void stop() {
    store.held.forEach(f -> f.complete(null));
    a.close();
    b.close();
  }

  private ActorState stored(String address) {
    return store.peek(Address.parse(address));
  }

  @Test
  void aSendersNewOwnerSendsWhatItCommittedAndTheReceiverHandlesItOnce() {
    // Node a commits the turn of a1, and is gone before its outputs leave.
    store.holding = true;
    tell(a, "probe/a1", "put:x=1;send:probe/b1=inc:n");
    store.holding = false;
    ActorState sender = stored("probe/a1");
    assertThat(sender.outbox().values())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.to()).isEqualTo(Address.parse("probe/b1"));
              assertThat(Probe.text(o.payload())).isEqualTo("inc:n");
              assertThat(o.id()).startsWith(Outbox.ID_PREFIX);
              assertThat(o.ask()).isFalse();
            });
    assertThat(peek(b, "probe/b1", "n")).isEmpty(); // not sent: its turn's save is not safe yet
    String id = sender.outbox().keySet().iterator().next();

    // Node b adopts a1 and sends its message.
    cluster.move(address -> address.id().equals("a1"), "b");
    assertThat(peek(b, "probe/b1", "n")).contains("1");
    assertThat(stored("probe/b1").handled()).containsKey(id);

    // The old node's outputs leave after all (it was only slow): the copy is dropped by its id.
    store.held.forEach(f -> f.complete(null));
    assertThat(peek(b, "probe/b1", "n")).contains("1");

    // The receiver confirmed it: the sender's next commit drops it from its state.
    tell(b, "probe/a1", "put:x=2");
    assertThat(stored("probe/a1").outbox()).isEmpty();
  }

  @Test
  void anAskOfTheOutboxIsAskedAgainByTheNewOwnerWhichGetsTheReply() {
    store.holding = true;
    tell(a, "probe/a2", "ask:probe/b2=inc:n");
    store.holding = false;
    OutboxMessage asked = stored("probe/a2").outbox().values().iterator().next();
    assertThat(asked.ask()).isTrue();

    cluster.move(address -> address.id().equals("a2"), "b");

    assertThat(peek(b, "probe/b2", "n")).contains("1");
    // The reply reached the asker on its new node, with the correlation id its turn was given.
    assertThat(peek(b, "probe/a2", "inbox"))
        .hasValueSatisfying(
            inbox -> assertThat(inbox).startsWith("2|" + asked.correlationId() + "|0|"));
  }

  @Test
  void idsFromOtherActorsDoNotPushOutAClientsKeys() {
    b.tell(Address.parse("probe/b3"), bytes("inc:n"), "order-1");
    for (int i = 0; i < 5; i++) {
      tell(a, "probe/a3-" + i, "send:probe/b3=inc:n");
    }
    assertThat(peek(b, "probe/b3", "n")).contains("6");
    assertThat(stored("probe/b3").handled()).hasSize(6); // beyond the 2 keys a client has

    b.tell(Address.parse("probe/b3"), bytes("inc:n"), "order-1"); // a client's retry
    assertThat(peek(b, "probe/b3", "n")).contains("6");
    // Each sender's message was confirmed: its next commit leaves nothing to send again.
    tell(a, "probe/a3-0", "put:x=1");
    assertThat(stored("probe/a3-0").outbox()).isEmpty();
  }

  @Test
  void theEmbeddedStoreKeepsNoOutboxAndMessagesCarryNoId() {
    var clock = ManualClock.create();
    var memory = StateStore.inMemory(clock, 16 << 20);
    try (Mayfly node = Mayfly.builder().synchronous(true).clock(clock).stateStore(memory).build()) {
      node.deploy("probe", Probe.WASM);
      tell(node, "probe/s", "put:x=1;send:probe/r=inc:n");
      assertThat(peek(node, "probe/r", "n")).contains("1");
      assertThat(memory.peek(Address.parse("probe/s")).outbox()).isEmpty();
      assertThat(memory.peek(Address.parse("probe/r")).handled()).isEmpty();
    }
  }
}
