package io.mayfly.bench.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The IoT driver on nodes made elsewhere (the cluster workload's members): sensor i's messages
 * enter node i mod n, the turns counted are those of every node, and the nodes outlive the driver.
 */
class IotOnNodesTest {
  private static final int SENSORS = 10;

  @Test
  void sensorsOnTwoNodesGetTheirReadingsThroughBothAndTheNodesStayOpen() {
    try (Mayfly a = Mayfly.builder().workers(1).build();
        Mayfly b = Mayfly.builder().workers(1).build()) {
      IotOnNodes.deploy(a, TypeConfig.DEFAULTS);
      IotOnNodes.deploy(b, TypeConfig.DEFAULTS);
      try (IotOnNodes driver = IotOnNodes.over("two nodes", List.of(a, b))) {
        driver.fill(SENSORS);
        IotOnNodes.Run run = driver.saturate(SENSORS, 1_000_000, 10_000_000);
        assertThat(run.turnsPerSecond()).isPositive();
        assertThat(run.cpuNanosPerTurn()).isPositive();
      }
      // Filling gave each sensor a full window, on the node its messages entered.
      assertThat(window(a, "0")).isEqualTo(IotOnNodes.WINDOW);
      assertThat(window(b, "1")).isEqualTo(IotOnNodes.WINDOW);
      assertThat(a.state(Address.of(IotOnNodes.TYPE, "1"))).isEmpty();
      assertThat(b.state(Address.of(IotOnNodes.TYPE, "0"))).isEmpty();
    }
  }

  @Test
  void anAskReadsTheWindowWithoutInsertingItsReading() {
    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      IotOnNodes.deploy(node, TypeConfig.DEFAULTS);
      Address sensor = Address.of(IotOnNodes.TYPE, "s");
      for (int i = 0; i < 3; i++) {
        node.tell(sensor, IotOnNodes.reading(20 + i));
      }
      assertThat(window(node, "s")).isEqualTo(3);
      assertThat(window(node, "s")).isEqualTo(3);
    }
  }

  private static int window(Mayfly node, String id) {
    return IotOnNodes.windowCount(
        node.ask(Address.of(IotOnNodes.TYPE, id), IotOnNodes.reading(20), Duration.ofSeconds(30))
            .toCompletableFuture()
            .join());
  }
}
