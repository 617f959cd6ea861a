package io.mayfly.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.runtime.spi.StateStoreContract;
import io.mayfly.testing.Ports;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
        a -> true);
  }
}
