package io.mayfly.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.bench.iot.IotOnNodes;
import io.mayfly.cluster.ClusterMember;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.testing.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the cluster workload's measurements rest on: members here and in a child JVM, the owner of a
 * sensor found from turn counts, the windows checked by a sweep across a join and a leave, and a
 * killed member's sensors answering from a survivor with their readings.
 */
class ClusterMembersTest {
  private static final int SENSORS = 300;

  @Test
  void aJoinAndALeaveHandSensorsOverWithTheirWindows() {
    try (LocalCluster pair = LocalCluster.start("test-" + Ports.freeLoopback(), 2, 1)) {
      IotOnNodes.deploy(pair.node(0), TypeConfig.DEFAULTS);
      Sensors.awaitDeployed(pair.nodes());
      Sensors.tellEach(pair.node(0), "h", SENSORS);
      Sensors.awaitWindows(pair.node(0), "h", SENSORS, 1);
      Address onSecond = Sensors.ownedBy(pair.nodes(), 1, IotOnNodes.TYPE, "o", Sensors.READING);
      assertThat(Sensors.owner(pair.nodes(), pair.node(1), onSecond, Sensors.READING)).isEqualTo(1);

      ClusterMember third = pair.join();
      pair.awaitSettled(3);
      long before = third.node().stats().turns();
      assertThat(Sensors.sweep(pair.node(0), "h", SENSORS, 1)).isNull();
      assertThat(third.node().stats().turns() - before)
          .as("sensors the new member runs")
          .isPositive();
      // A window that is off is named, not passed over.
      assertThat(Sensors.sweep(pair.node(0), "h", SENSORS, 2))
          .contains("holds 1 readings, expected 2");

      pair.leave();
      pair.awaitSettled(2);
      assertThat(Sensors.sweep(pair.node(1), "h", SENSORS, 1)).isNull();
    }
  }

  @Test
  void theSensorsOfAKilledMemberAnswerFromASurvivorWithTheirReadings() {
    try (LocalCluster pair = LocalCluster.start("test-" + Ports.freeLoopback(), 2, 1)) {
      IotOnNodes.deploy(pair.node(0), TypeConfig.DEFAULTS);
      Sensors.awaitDeployed(pair.nodes());
      try (MemberProcess child = MemberProcess.start(pair.name(), "child", pair.seeds(), 1)) {
        pair.awaitSettled(3);
        Address elsewhere = null;
        for (int k = 0; elsewhere == null; k++) {
          Address sensor = Sensors.sensor("k" + k);
          if (Sensors.owner(pair.nodes(), pair.node(0), sensor, Sensors.READING) < 0) {
            elsewhere = sensor;
          }
        }
        pair.node(0).tell(elsewhere, Sensors.READING);
        pair.node(0).tell(elsewhere, Sensors.READING);
        Address told = elsewhere;
        await().atMost(Duration.ofSeconds(30)).until(() -> Sensors.ask(pair.node(0), told) == 2);

        child.kill();
        // Asked through a survivor, the sensor answers once its new owner runs it, with its state.
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> Sensors.ask(pair.node(1), told) == 2);
        List<Mayfly> survivors = pair.nodes();
        int owner = Sensors.owner(survivors, survivors.get(1), told, Sensors.READING);
        assertThat(owner).as("the survivor that took the sensor over").isIn(0, 1);
      }
    }
  }
}
