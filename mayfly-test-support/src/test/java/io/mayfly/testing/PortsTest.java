package io.mayfly.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A free loopback port can be bound by the server a test starts. */
class PortsTest {
  @Test
  void theFreePortCanBeBoundOnLoopback() throws Exception {
    int port = Ports.freeLoopback();

    assertThat(port).isBetween(1, 65535);
    try (var server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(server.getLocalPort()).isEqualTo(port);
    }
  }
}
