package io.mayfly.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.wasm.MayflyException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** The Helidon SE implementation of {@link MayflyHttpServer}. */
final class HelidonHttpServer implements MayflyHttpServer {
  private static final System.Logger LOG = System.getLogger(HelidonHttpServer.class.getName());

  /** How long Helidon waits for connections to finish once the node has drained. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  /** The name of the metrics listener's socket. */
  private static final String METRICS_SOCKET = "metrics";

  private final Mayfly node;
  private final InetAddress address;
  private final int requestedPort;
  private final WebServer server;
  private final TopicEvents events;
  private final MeterRegistry metrics;
  private final boolean metricsListener;
  private final int requestedMetricsPort;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  HelidonHttpServer(MayflyHttpServer.Builder b) {
    this.node = b.node;
    this.address = b.address;
    this.requestedPort = b.port;
    this.metrics = b.metrics;
    this.events = new TopicEvents(b.node, closing);
    this.metricsListener = b.metricsPort >= 0;
    this.requestedMetricsPort = b.metricsPort;
    var ops = new OpsRoutes(b.readinessChecks, b.metrics, closing);
    var api =
        new ApiV1(
            b.node,
            new Access(b.adminToken, b.clientTokens),
            b.maxBodyBytes,
            b.maxModuleBytes,
            events,
            ops,
            closing);
    HttpRouting.Builder routing = HttpRouting.builder().addFilter(this::filter);
    api.register(routing);
    var server =
        WebServer.builder()
            .address(b.address)
            .port(b.port)
            .shutdownGracePeriod(STOP_GRACE)
            .routing(routing);
    if (metricsListener) {
      HttpRouting.Builder metricsRouting = HttpRouting.builder();
      ops.registerMetricsListener(metricsRouting);
      server.putSocket(
          METRICS_SOCKET, s -> s.address(b.address).port(b.metricsPort).routing(metricsRouting));
    }
    this.server = server.build();
  }

  @Override
  public MayflyHttpServer start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the HTTP server was already started");
    }
    server.start();
    if (!server.isRunning()) {
      // Helidon logs why (typically the port is taken) and returns a stopped server.
      throw new InvalidConfigException(
          "cannot listen on "
              + address.getHostAddress()
              + ":"
              + requestedPort
              + (metricsListener ? " and the metrics port " + requestedMetricsPort : "")
              + " (is the port in use? the log above says why)");
    }
    LOG.log(Level.INFO, "Mayfly HTTP API listening on {0}", url());
    if (metricsListener) {
      LOG.log(Level.INFO, "Mayfly metrics listening on port {0}", metricsPort());
    }
    return this;
  }

  @Override
  public int port() {
    return server.isRunning() ? server.port() : -1;
  }

  @Override
  public int metricsPort() {
    return metricsListener && server.isRunning() ? server.port(METRICS_SOCKET) : -1;
  }

  @Override
  public String url() {
    String host = address.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** Refuses requests once closing began, and counts requests by method and status. */
  private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    boolean health = OpsRoutes.ALWAYS_ANSWERED.contains(req.path().path());
    if (closing.get() && !health) {
      ErrorMapping.send(res, new NodeClosedException("the node is shutting down"));
    } else {
      try {
        chain.proceed();
      } catch (MayflyException e) {
        ErrorMapping.send(res, e);
      }
    }
    if (metrics != null) {
      Counter.builder("mayfly.http.requests")
          .description("HTTP API requests by method and status")
          .tag("method", req.prologue().method().text())
          .tag("status", Integer.toString(res.status().code()))
          .register(metrics)
          .increment();
    }
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    // Ingress first: new requests are refused and event streams end. Then the node drains what
    // is queued and fails pending asks, whose requests are still open and answer 503. Only then
    // does the listener stop, so no in-flight request is cut off without an answer.
    events.closeAll();
    try {
      node.close();
    } finally {
      if (server.isRunning()) {
        server.stop();
      }
      LOG.log(Level.INFO, "Mayfly HTTP API stopped");
    }
  }
}
