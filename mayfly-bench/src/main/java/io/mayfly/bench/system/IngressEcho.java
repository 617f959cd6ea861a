package io.mayfly.bench.system;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * The HTTP peer of the ingress workload: the ask route's shape ({@code POST
 * /v1/actors/{type}/{id}/ask}) on the same server framework as Mayfly's API (Helidon SE, virtual
 * threads), answered by a plain handler that reads the body and replies 4 bytes, as the counter
 * actor does, with no actor, no Wasm and no state. What it serves is the ceiling of the HTTP layer
 * on this machine.
 */
final class IngressEcho implements AutoCloseable {
  private final WebServer server;

  private IngressEcho(WebServer server) {
    this.server = server;
  }

  /** Starts the echo server on a free loopback port. */
  static IngressEcho start() {
    HttpRouting.Builder routing =
        HttpRouting.builder().post("/v1/actors/{type}/{id}/ask", IngressEcho::answer);
    WebServer server =
        WebServer.builder()
            .address(InetAddress.getLoopbackAddress())
            .port(0)
            .routing(routing)
            .build()
            .start();
    return new IngressEcho(server);
  }

  private static void answer(ServerRequest req, ServerResponse res) throws IOException {
    int n = body(req).length;
    res.header(HeaderValues.CONTENT_TYPE_OCTET_STREAM);
    res.send(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
  }

  /**
   * Reads the body in the cheapest correct way: exactly the declared length (reading "all bytes"
   * would allocate a 16 KiB buffer per request), so that the peer stays the ceiling.
   */
  private static byte[] body(ServerRequest req) throws IOException {
    OptionalLong length = req.headers().contentLength();
    try (InputStream in = req.content().inputStream()) {
      return length.isPresent() ? in.readNBytes((int) length.getAsLong()) : in.readAllBytes();
    }
  }

  /** The base URL, {@code http://127.0.0.1:PORT} (the loopback address). */
  String url() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
