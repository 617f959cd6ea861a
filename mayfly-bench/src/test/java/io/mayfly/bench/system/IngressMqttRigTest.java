package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.bench.Guests;
import io.mayfly.runtime.Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT benchmark's paths deliver every reading, with and without Mayfly. */
class IngressMqttRigTest {
  private static final int PER_SENSOR = 3;
  private static final int MESSAGES = IngressMqttRig.SENSORS * PER_SENSOR;

  @Test
  void everyPublishedReadingReachesItsSensorActorAndThePlainSubscriber(@TempDir Path dir)
      throws Exception {
    try (IngressMqttRig rig = IngressMqttRig.start(dir, Guests.sensor())) {
      IngressMqttRig.Run mayfly = rig.throughMayfly(1, MESSAGES, 0);
      IngressMqttRig.Run raw = rig.throughSubscriber(1, MESSAGES, 0);

      assertThat(mayfly.arrived()).isEqualTo(MESSAGES);
      assertThat(mayfly.latencies().getTotalCount()).isEqualTo(MESSAGES);
      assertThat(raw.arrived()).isEqualTo(MESSAGES);
      for (int i = 0; i < IngressMqttRig.SENSORS; i++) {
        assertThat(windowCount(rig, "s" + i)).as("readings in sensor s%d", i).isEqualTo(PER_SENSOR);
      }
    }
  }

  @Test
  void aPacedQos0RunDeliversEveryReading(@TempDir Path dir) throws Exception {
    try (IngressMqttRig rig = IngressMqttRig.start(dir, Guests.sensor())) {
      IngressMqttRig.Run run = rig.throughMayfly(0, 2_000, 5_000);

      assertThat(run.arrived()).isEqualTo(2_000);
      assertThat(run.delivered()).isEqualTo(1.0);
    }
  }

  /** The number of values in a sensor's window (its ASK reply: mean, then count, as f64). */
  private static double windowCount(IngressMqttRig rig, String id) {
    byte[] reply =
        rig.node()
            .ask(Address.of(IngressMqttRig.TYPE, id), new byte[0])
            .toCompletableFuture()
            .join();
    return ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).getDouble(8);
  }
}
