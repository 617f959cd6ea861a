package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store whose saves complete later (as a replicated store's do): a turn's outputs wait for its
 * state to be saved, in turn order, and never leave when the save fails.
 */
class OutputGateTest {
  /** The in-memory store, with each commit's stage held until the test releases it. */
  static class SlowStore implements StateStore {
    final StateStore inner;
    final List<CompletableFuture<Void>> held = new ArrayList<>();

    SlowStore(MayflyClock clock) {
      inner = StateStore.inMemory(clock, 16 << 20);
    }

    private CompletionStage<Void> hold() {
      var f = new CompletableFuture<Void>();
      held.add(f);
      return f;
    }

    @Override
    public ActorState get(Address a, long now) {
      return inner.get(a, now);
    }

    @Override
    public ActorState peek(Address a) {
      return inner.peek(a);
    }

    @Override
    public CompletionStage<Void> put(Address a, ActorState s, long now) {
      inner.put(a, s, now);
      return hold();
    }

    @Override
    public CompletionStage<Void> remove(Address a) {
      inner.remove(a);
      return hold();
    }

    @Override
    public void removeType(String type) {
      inner.removeType(type);
    }

    @Override
    public List<Address> addresses(String type, int offset, int limit) {
      return inner.addresses(type, offset, limit);
    }

    @Override
    public void forEach(Predicate<Address> which, BiConsumer<Address, ActorState> action) {
      inner.forEach(which, action);
    }

    @Override
    public long actorCount() {
      return inner.actorCount();
    }

    @Override
    public long weightedBytes() {
      return inner.weightedBytes();
    }

    @Override
    public void runMaintenance() {
      inner.runMaintenance();
    }

    @Override
    public void onDrop(DropListener listener) {
      inner.onDrop(listener);
    }
  }

  private final ManualClock clock = ManualClock.create();
  private final SlowStore store = new SlowStore(clock);
  private final Mayfly node =
      Mayfly.builder().synchronous(true).clock(clock).stateStore(store).build();

  @AfterEach
  void stop() {
    store.held.forEach(f -> f.complete(null));
    node.close();
  }

  private CompletableFuture<byte[]> ask(String address, String script) {
    return node.ask(Address.parse(address), bytes(script), Duration.ofSeconds(30))
        .toCompletableFuture();
  }

  @Test
  void aReplyLeavesOnlyOnceItsStateIsSaved() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<byte[]> reply = ask("probe/a", "put:k=v;reply:done");
    assertThat(peek(node, "probe/a", "k")).contains("v"); // visible on the node at once
    assertThat(reply).isNotDone();
    store.held.getFirst().complete(null);
    assertThat(reply).isCompletedWithValueMatching(b -> Probe.text(b).equals("done"));
  }

  @Test
  void outputsOfLaterTurnsWaitForEarlierOnesInTurnOrder() {
    node.deploy("probe", Probe.WASM);
    CompletableFuture<byte[]> first = ask("probe/a", "put:k=1;reply:first");
    CompletableFuture<byte[]> second = ask("probe/a", "get:k;reply:second");
    assertThat(store.held).hasSize(2); // reading restarts the after-access TTL: a second save
    store.held.get(1).complete(null);
    assertThat(second).isNotDone(); // its own state is safe, the earlier turn's is not
    store.held.get(0).complete(null);
    assertThat(first).isCompletedWithValueMatching(b -> Probe.text(b).equals("first"));
    assertThat(second).isCompletedWithValueMatching(b -> Probe.text(b).equals("second"));
  }

  @Test
  void aTurnWhoseStateCannotBeSavedSendsNothingAndFailsItsAsk() {
    node.deploy("probe", Probe.WASM);
    var published = new ArrayList<String>();
    node.subscribe("out/#", (topic, payload, from) -> published.add(topic));
    CompletableFuture<byte[]> reply = ask("probe/a", "put:k=v;pub:out/x=hello;reply:done");
    store.held.getFirst().completeExceptionally(new UndeliverableException("backup unreachable"));
    assertThat(published).isEmpty();
    assertThat(reply)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            TurnFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.STATE_NOT_SAVED));
    assertThat(node.stats().failedTurns()).isOne();
  }
}
