package io.mayfly.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The committed C sensor window (testdata/guests/c/sensor.c) under the kit. */
class SensorActorTest {

  private static byte[] reading(double value) {
    return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, value).array();
  }

  private static double f64(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble(offset);
  }

  @Test
  void outlierAfterAWindowOfNormalReadingsRaisesAnAlert() {
    try (var kit = ActorTestKit.builder(Guests.SENSOR).address("sensor/s-1").build()) {
      for (int i = 0; i < 16; i++) {
        TurnResult normal = kit.tell(reading(i % 2 == 0 ? 20.0 : 20.5));
        assertThat(normal.committed()).isTrue();
        assertThat(normal.publications()).isEmpty();
      }
      assertThat(kit.tell(reading(20.4)).publications()).as("within 3 sigma").isEmpty();

      TurnResult outlier = kit.tell(reading(30.0));

      assertThat(outlier.publications())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.topic()).isEqualTo("alerts/s-1");
                assertThat(p.payload()).hasSize(16);
                assertThat(f64(p.payload(), 0)).isEqualTo(30.0);
                assertThat(f64(p.payload(), 8)).isBetween(20.2, 20.3);
              });
      assertThat(outlier.stateDiff().changed()).containsOnlyKeys("w");
      assertThat(kit.outbox()).as("nobody else subscribed").isEmpty();

      byte[] stats = kit.ask("").replyOrThrow();
      assertThat(f64(stats, 8)).isEqualTo(18.0);
    }
  }

  @Test
  void noAlertBeforeTheWindowHoldsEightReadings() {
    try (var kit = ActorTestKit.builder(Guests.SENSOR).address("sensor/s-2").build()) {
      for (int i = 0; i < 7; i++) {
        kit.tell(reading(i % 2 == 0 ? 20.0 : 20.5));
      }
      assertThat(kit.tell(reading(1000.0)).publications()).isEmpty();
    }
  }

  @Test
  void shortReadingFailsTheTurnWithApplicationError() {
    try (var kit = ActorTestKit.builder(Guests.SENSOR).address("sensor/s-3").build()) {
      TurnResult r = kit.tell(new byte[4]);
      assertThat(r.failure())
          .hasValueSatisfying(f -> assertThat(f.reason().code()).isEqualTo("guest_error"));
      assertThat(kit.state()).isEmpty();
    }
  }
}
