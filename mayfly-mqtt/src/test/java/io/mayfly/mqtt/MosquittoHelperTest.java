package io.mayfly.mqtt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.mqtt.testing.Mosquitto;
import org.junit.jupiter.api.Test;

/** The broker tests fail, not skip, when mosquitto is missing, and say what to install. */
class MosquittoHelperTest {
  @Test
  void missingBrokerProgramFailsWithWhatToInstall() {
    assertThatThrownBy(() -> Mosquitto.binary("mosquitto-not-installed"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install mosquitto mosquitto-clients");
  }
}
