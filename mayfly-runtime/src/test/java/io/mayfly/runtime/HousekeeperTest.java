package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HousekeeperTest {
  private final ManualClock clock = ManualClock.create();
  private final StateStore store = StateStore.inMemory(clock, 1 << 20);
  private final Timers timers = new Timers();
  private final NodeMetrics metrics = new NodeMetrics(null, null);
  private final NodeConfig config = Mayfly.builder().clock(clock).snapshot();
  private final Housekeeper housekeeper = new Housekeeper(config, timers, store, metrics);

  @AfterEach
  void stop() {
    housekeeper.close();
  }

  private void commit(String address, Duration ttl, Set<String> subscriptions) {
    long now = clock.nanoTime();
    store.put(
        Address.parse(address),
        ActorState.of(Map.of(), null, now + ttl.toNanos(), Map.of(), subscriptions),
        now);
  }

  @Test
  void advancingTheClockStopsAtEachTimerAndRunsIt() {
    housekeeper.start(null, type -> false);
    List<Long> fired = new ArrayList<>();
    long start = clock.nanoTime();
    timers.schedule(start + 10, () -> fired.add(clock.nanoTime() - start));
    timers.schedule(start + 30, () -> fired.add(clock.nanoTime() - start));
    assertThat(housekeeper.nextDue()).isEqualTo(start + 10);
    clock.advance(Duration.ofNanos(100));
    assertThat(fired).containsExactly(10L, 30L);
    assertThat(housekeeper.nextDue()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aManualClockRefusesToGoBackNamingTheDuration() {
    long before = clock.nanoTime();
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1500)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("-1500ms");
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(InvalidConfigException.class);
    assertThat(clock.nanoTime()).isEqualTo(before);
  }

  @Test
  void aDroppedActorGetsALastTurnOnlyIfItHasSubscriptionsOrAnExpiryHandler() {
    List<Message> queued = new ArrayList<>();
    var router =
        new Router(config, null, null, null, metrics, Dispatcher.callingThread(), null) {
          @Override
          void enqueueSystem(Message m, ActorState expiring) {
            queued.add(m);
          }
        };
    housekeeper.start(router, type -> type.equals("flushing"));
    commit("quiet/a", Duration.ofSeconds(1), Set.of());
    commit("listening/a", Duration.ofSeconds(1), Set.of("news/#"));
    commit("flushing/a", Duration.ofSeconds(1), Set.of());
    assertThat(housekeeper.nextDue()).isEqualTo(store.nextDropNanos());
    clock.advance(Duration.ofSeconds(1));
    assertThat(queued)
        .extracting(m -> m.target().toString())
        .containsExactlyInAnyOrder("listening/a", "flushing/a");
    assertThat(queued).allSatisfy(m -> assertThat(m).isInstanceOf(Message.Expire.class));
    assertThat(metrics.expirations.sum()).isEqualTo(3);
  }
}
