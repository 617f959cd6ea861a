package io.mayfly.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.StateEntry;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.runtime.spi.StateStoreContract;
import io.mayfly.testing.Ports;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's contract against the replicated store, on one member, a fresh map per store. */
class HazelcastStateStoreTest extends StateStoreContract {
  private static final AtomicInteger MAPS = new AtomicInteger();
  private static HazelcastInstance instance;

  @BeforeAll
  static void start() {
    int port = Ports.freeLoopback();
    instance =
        Hazelcast.newHazelcastInstance(
            HazelcastMember.hazelcastConfig(
                ClusterConfig.builder()
                    .name("contract-" + port)
                    .port(port)
                    .partitionCount(Members.PARTITIONS)
                    .build()));
  }

  @AfterAll
  static void stop() {
    instance.getLifecycleService().terminate();
  }

  @Override
  protected StateStore create(ManualClock clock) {
    return new HazelcastStateStore(
        instance.getMap(HazelcastStateStore.MAP + "-" + MAPS.incrementAndGet()),
        clock,
        64L << 20,
        a -> true,
        () -> instance.getCluster().getLocalMember().getUuid());
  }

  @Test
  void aMemberThatLostThePartitionCannotCommitThoughItsViewSaysItOwnsIt() {
    var clock = ManualClock.create();
    var map = instance.<String, ActorState>getMap(HazelcastStateStore.MAP + "-stale");
    // A member whose view of the partition table lags: it believes it owns every actor, but the
    // partitions are another member's (this instance's) by now.
    var stale = new HazelcastStateStore(map, clock, 64L << 20, a -> true, UUID::randomUUID);
    Address actor = Address.parse("probe/a");
    ActorState state =
        ActorState.of(
            Map.of("k", new StateEntry(new byte[] {1}, TtlPolicy.DEFAULT, 0, Long.MAX_VALUE)),
            null,
            Long.MAX_VALUE,
            Map.of(),
            Set.of());
    assertThatThrownBy(() -> stale.put(actor, state, clock.nanoTime()).toCompletableFuture().join())
        .hasCauseInstanceOf(ClusterException.class)
        .hasMessageContaining("no longer owns probe/a");
    assertThat(map.containsKey("probe/a")).isFalse();
    assertThat(stale.get(actor, clock.nanoTime())).as("the refused commit is taken back").isNull();

    var owner = create(clock);
    owner.put(actor, state, clock.nanoTime()).toCompletableFuture().join();
    assertThatThrownBy(() -> stale.remove(actor).toCompletableFuture().join())
        .hasCauseInstanceOf(ClusterException.class);
  }
}
