package io.mayfly.runtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StateStore}, stated once: every implementation has a test class that
 * extends this one and says how to make a store on a manual clock. The properties run random
 * sequences of commits, removals and clock advances against a model of what the store must hold.
 */
public abstract class StateStoreContract {
  /** For the test class of each store implementation. */
  protected StateStoreContract() {}

  /** A fresh, empty store on {@code clock} with room for every state these tests put. */
  protected abstract StateStore create(ManualClock clock);

  private static final Address A = Address.parse("t/a");

  private static ActorState state(String value, long dropAt) {
    return ActorState.of(
        Map.of(
            "k",
            new StateEntry(
                value.getBytes(), io.mayfly.runtime.TtlPolicy.DEFAULT, 0, Long.MAX_VALUE)),
        null,
        dropAt,
        Map.of(),
        Set.of());
  }

  private static void saved(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record Dropped(Address address, StateStore.DropCause cause) {}

  @Test
  void aCommittedStateIsReadBackAtOnceUntilItsDeadline() throws Exception {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    long now = clock.nanoTime();
    ActorState s = state("v", now + Duration.ofSeconds(1).toNanos());
    saved(store.put(A, s, now));
    assertThat(store.get(A, now)).isSameAs(s);
    assertThat(store.peek(A)).isSameAs(s);
    assertThat(store.get(A, now + Duration.ofSeconds(1).toNanos() - 1)).isSameAs(s);
    assertThat(store.get(A, now + Duration.ofSeconds(1).toNanos())).isNull();
  }

  @Test
  void aRemovedStateIsGoneWithoutADropNotice() throws Exception {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    var drops = new ArrayList<Dropped>();
    store.onDrop((a, s, c) -> drops.add(new Dropped(a, c)));
    long now = clock.nanoTime();
    saved(store.put(A, state("v", now + 1_000_000), now));
    saved(store.remove(A));
    assertThat(store.get(A, now)).isNull();
    clock.advance(Duration.ofSeconds(5));
    store.runMaintenance();
    assertThat(drops).isEmpty();
    assertThat(store.actorCount()).isZero();
  }

  @Test
  void removeTypeRemovesOnlyThatType() throws Exception {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    long now = clock.nanoTime();
    for (int i = 0; i < 10; i++) {
      saved(store.put(Address.parse("x/" + i), state("v", Long.MAX_VALUE), now));
      saved(store.put(Address.parse("y/" + i), state("v", Long.MAX_VALUE), now));
    }
    store.removeType("x");
    assertThat(store.addresses("x", 0, 100)).isEmpty();
    assertThat(store.addresses("y", 0, 100)).hasSize(10);
  }

  @Test
  void forEachVisitsTheLiveStatesItIsAskedFor() throws Exception {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    long now = clock.nanoTime();
    for (int i = 0; i < 20; i++) {
      saved(store.put(Address.parse("t/" + i), state("v" + i, Long.MAX_VALUE), now));
    }
    var seen = new HashSet<String>();
    store.forEach(a -> a.id().startsWith("1"), (a, s) -> seen.add(a.id()));
    assertThat(seen)
        .containsExactlyInAnyOrder("1", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19");
  }

  /**
   * Random commits, removals and advances of the clock, checked after each step against a model: a
   * state is visible exactly until its deadline; after maintenance at or past the deadline it is
   * reported dropped once, as expired; paging through addresses lists every live actor once.
   */
  @Test
  void aRandomHistoryMatchesTheModel() {
    qt().withExamples(60)
        .withFixedSeed(20261203L)
        .forAll(lists().of(integers().between(0, 999)).ofSizeBetween(1, 60))
        .checkAssert(this::replay);
  }

  private void replay(List<Integer> ops) {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    Map<Address, ActorState> model = new HashMap<>();
    // Each state (one life of an actor) is reported dropped once, when its deadline passed.
    Map<ActorState, Integer> dropCount = new java.util.IdentityHashMap<>();
    Set<ActorState> expired =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    store.onDrop(
        (a, s, c) -> {
          assertThat(c).isEqualTo(StateStore.DropCause.EXPIRED);
          dropCount.merge(s, 1, Integer::sum);
        });
    int version = 0;
    for (int op : ops) {
      Address a = Address.parse("t/" + (op % 7));
      long now = clock.nanoTime();
      try {
        switch (op % 4) {
          case 0, 1 -> {
            long ttl = op < 100 ? Long.MAX_VALUE : now + (op % 50 + 1) * 10_000_000L;
            ActorState s = state("v" + version++, ttl);
            saved(store.put(a, s, now));
            model.put(a, s);
          }
          case 2 -> {
            saved(store.remove(a));
            model.remove(a);
          }
          default -> {
            clock.advance(Duration.ofMillis(op % 300));
            store.runMaintenance();
          }
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      long t = clock.nanoTime();
      for (var e : new ArrayList<>(model.entrySet())) {
        ActorState expected = e.getValue().droppedAt(t) ? null : e.getValue();
        assertThat(store.get(e.getKey(), t)).as("state of %s", e.getKey()).isSameAs(expected);
        if (expected == null) {
          expired.add(e.getValue());
          model.remove(e.getKey());
        }
      }
      var listed = new HashSet<Address>();
      for (int page = 0; page < 10; page++) {
        listed.addAll(store.addresses("t", page * 2, 2));
      }
      assertThat(listed).containsAll(model.keySet());
    }
    model.values().stream().filter(s -> s.dropAtNanos() != Long.MAX_VALUE).forEach(expired::add);
    clock.advance(Duration.ofDays(1));
    store.runMaintenance();
    dropCount.values().forEach(n -> assertThat(n).isOne());
    assertThat(dropCount.keySet()).containsExactlyInAnyOrderElementsOf(expired);
  }
}
