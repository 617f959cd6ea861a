package io.mayfly.runtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.TtlPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The embedded store under the contract, and its exactness on a manual clock. */
class CaffeineStateStoreTest extends StateStoreContract {
  @Override
  protected StateStore create(ManualClock clock) {
    return StateStore.inMemory(clock, 64L << 20);
  }

  @Test
  void onAManualClockAStateIsDroppedExactlyAtItsDeadline() {
    var clock = ManualClock.create();
    StateStore store = create(clock);
    List<Address> dropped = new ArrayList<>();
    store.onDrop((a, s, c) -> dropped.add(a));
    long due = clock.nanoTime() + Duration.ofMillis(500).toNanos();
    var s =
        ActorState.of(
            Map.of("k", new StateEntry(new byte[1], TtlPolicy.DEFAULT, 0, Long.MAX_VALUE)),
            null,
            due,
            Map.of(),
            Set.of());
    store.put(Address.parse("t/a"), s, clock.nanoTime());
    assertThat(store.nextDropNanos()).isEqualTo(due);
    clock.advance(Duration.ofMillis(499));
    store.runMaintenance();
    assertThat(dropped).isEmpty();
    clock.advance(Duration.ofMillis(1));
    store.runMaintenance();
    assertThat(dropped).containsExactly(Address.parse("t/a"));
    assertThat(store.nextDropNanos()).isEqualTo(Long.MAX_VALUE);
  }
}
