package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.testing.Checkout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The actors written in C (testdata/guests/c), built with clang, on the runtime. */
class CGuestTest {
  private final ManualClock clock = ManualClock.create();

  private static byte[] reading(double value) {
    return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array();
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void theCounterCountsRollsBackATrapAndFlushesOnExpiry() {
    try (Mayfly node = Probe.syncNode(clock)) {
      node.deploy(
          "counter",
          Checkout.guest("counter"),
          TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(1))).build());
      List<Integer> flushed = new CopyOnWriteArrayList<>();
      node.subscribe("expired/c1", (t, p, from) -> flushed.add(le(p).getInt()));
      Address c1 = Address.parse("counter/c1");
      node.tell(c1, new byte[0]);
      node.tell(c1, new byte[0]);
      node.tell(c1, Probe.bytes("trap"));
      byte[] reply = node.ask(c1, new byte[0]).toCompletableFuture().join();
      assertThat(le(reply).getInt()).isEqualTo(3);
      assertThat(node.stats().failedTurns()).isEqualTo(1);
      clock.advance(Duration.ofMinutes(2));
      assertThat(flushed).containsExactly(3);
    }
  }

  @Test
  void theSensorAlertsOnAnOutlierAfterAWindowOfNormalReadings() {
    try (Mayfly node = Mayfly.builder().workers(2).build()) {
      node.deploy("sensor", Checkout.guest("sensor"));
      List<double[]> alerts = new CopyOnWriteArrayList<>();
      node.subscribe(
          "alerts/+",
          (t, p, from) -> alerts.add(new double[] {le(p).getDouble(0), le(p).getDouble(8)}));
      Address s = Address.parse("sensor/s7");
      for (int i = 0; i < 32; i++) {
        node.tell(s, reading(20.0 + (i % 2 == 0 ? 0.1 : -0.1)));
      }
      node.tell(s, reading(35.0));
      byte[] stats = node.ask(s, new byte[0]).toCompletableFuture().join();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0)[0]).isEqualTo(35.0);
      assertThat(alerts.get(0)[1]).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(le(stats).getDouble(8)).as("window count").isEqualTo(32.0);
    }
  }
}
