package io.mayfly.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker on a free loopback port: it relays, restarts on its port, and says what's missing.
 */
class MosquittoTest {
  @TempDir Path dir;

  @Test
  void missingBrokerProgramFailsWithWhatToInstall() {
    assertThatThrownBy(() -> Mosquitto.binary("mosquitto-not-installed"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'mosquitto-not-installed' is not installed")
        .hasMessageContaining("apt-get install mosquitto mosquitto-clients");
  }

  @Test
  void aPublicationReachesASubscriberAndTheBrokerRestartsOnItsPort() throws Exception {
    Mosquitto broker = Mosquitto.start(dir);
    try {
      int port = broker.port();
      assertThat(accepts(port)).isTrue();
      relays(broker, "first");

      broker.stop();
      assertThat(accepts(port)).isFalse();

      broker.start();
      assertThat(broker.port()).isEqualTo(port);
      relays(broker, "second");
    } finally {
      broker.stop();
    }
  }

  private static void relays(Mosquitto broker, String message) throws Exception {
    Mosquitto.Sub sub = broker.sub("test/#");
    try {
      broker.pub("test/a", message, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> sub.lines().contains("test/a " + message));
    } finally {
      sub.close();
    }
  }

  private static boolean accepts(int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
