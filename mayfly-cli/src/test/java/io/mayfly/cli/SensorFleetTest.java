package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class SensorFleetTest {
  @Test
  void sameSeedGivesSameReadings() {
    var a = new SensorFleet("sensor", 10, 7, 0.01);
    var b = new SensorFleet("sensor", 10, 7, 0.01);
    for (int i = 0; i < 1000; i++) {
      SensorFleet.Reading x = a.nextReading();
      SensorFleet.Reading y = b.nextReading();
      assertThat(x.sensor()).isEqualTo(y.sensor());
      assertThat(x.payload()).isEqualTo(y.payload());
      assertThat(x.spike()).isEqualTo(y.spike());
    }
  }

  @Test
  void sensorsReportInTurnWithSixtyFourByteReadings() {
    var fleet = new SensorFleet("sensor", 3, 1, 0);
    for (int i = 0; i < 7; i++) {
      SensorFleet.Reading r = fleet.nextReading();
      assertThat(r.sensor().toString()).isEqualTo("sensor/s0." + (i % 3));
      assertThat(r.payload()).hasSize(SensorFleet.READING_BYTES);
      long sequence = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
      assertThat(sequence).isEqualTo(i / 3);
    }
  }

  @Test
  void noiseStaysWithinOneAmplitudeOfTheLevelAndSpikesLieFarOutside() {
    var fleet = new SensorFleet("sensor", 1, 3, 0.05);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    var spikes = new ArrayList<Double>();
    for (int i = 0; i < 10_000; i++) {
      SensorFleet.Reading r = fleet.nextReading();
      double value = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN).getDouble(0);
      if (r.spike()) {
        spikes.add(value);
      } else {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
    double amplitude = (max - min) / 2; // noise spans level ± amplitude
    double level = (max + min) / 2;
    assertThat(spikes).isNotEmpty();
    assertThat(spikes)
        .allSatisfy(v -> assertThat(Math.abs(v - level)).isGreaterThan(9 * amplitude));
  }
}
