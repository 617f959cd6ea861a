package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Mayfly;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /health} tells a supervisor when the node is broken, and names what is gone. */
class HealthTest {
  private final List<String> nodeProblems = new CopyOnWriteArrayList<>();
  private MayflyHttpServer server;

  /** The real node, except that its problems are the test's. */
  private Mayfly nodeWithProblems(Mayfly real) {
    return (Mayfly)
        Proxy.newProxyInstance(
            Mayfly.class.getClassLoader(),
            new Class<?>[] {Mayfly.class},
            (proxy, method, args) -> {
              if (method.getName().equals("problems")) {
                return List.copyOf(nodeProblems);
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void healthIs503DownNamingWhatTheNodeLost() {
    server =
        MayflyHttpServer.builder()
            .node(nodeWithProblems(Mayfly.builder().workers(1).build()))
            .port(0)
            .build()
            .start();
    var http = new TestClient(server.url(), null);
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
    assertThat(http.get("/readyz").statusCode()).isEqualTo(200);

    nodeProblems.add("watchdog thread died: OutOfMemoryError");
    var r = http.get("/health");

    assertThat(r.statusCode()).as(text(r)).isEqualTo(503);
    assertThat(json(r).path("status").asText()).isEqualTo("down");
    assertThat(json(r).path("problems").toString())
        .contains("watchdog thread died: OutOfMemoryError");
    // A node that is down is not ready either: a load balancer stops sending it work.
    var ready = http.get("/readyz");
    assertThat(ready.statusCode()).as(text(ready)).isEqualTo(503);
    assertThat(json(ready).path("checks").path("node").asBoolean()).isFalse();
  }

  @Test
  void aListenerThatStoppedAcceptingIsAProblem() {
    server = MayflyHttpServer.builder().node(Mayfly.builder().workers(1).build()).port(0).build();
    server.start();
    int port = server.port();
    assertThat(((HelidonHttpServer) server).problems()).isEmpty();
    Thread listener =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("server-@default-listener") && t.isAlive())
            .findFirst()
            .orElseThrow();

    // Its accept fails: the listener closes the port, as it does on any error while accepting
    // (and closes the connections it had, so no /health request could report it: a supervisor
    // sees the refused connection).
    listener.interrupt();
    await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));

    assertThat(((HelidonHttpServer) server).problems())
        .singleElement()
        .asString()
        .startsWith("HTTP listener stopped");
  }

  private static boolean accepts(int port) {
    try (var s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
