package io.mayfly.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface, for the real servers tests and benchmarks start. */
public final class Ports {
  private Ports() {}

  /**
   * A TCP port on the loopback interface that was free when asked: bind it soon, as another process
   * may take it meanwhile.
   *
   * @throws UncheckedIOException when the system has no free port to give
   */
  public static int freeLoopback() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
