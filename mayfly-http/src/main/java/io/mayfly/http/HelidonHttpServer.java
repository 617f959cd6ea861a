package io.mayfly.http;

import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1Config;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.wasm.MayflyException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The Helidon SE implementation of {@link MayflyHttpServer}. */
final class HelidonHttpServer implements MayflyHttpServer {
  private static final System.Logger LOG = System.getLogger(HelidonHttpServer.class.getName());

  /** How long Helidon waits for connections to finish once the node has drained. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  /** The name of the metrics listener's socket. */
  private static final String METRICS_SOCKET = "metrics";

  /** The name Helidon gives the thread that accepts connections on the default socket. */
  private static final String LISTENER_THREAD = "server-@default-listener";

  private final Mayfly node;
  private final InetAddress address;
  private final int requestedPort;
  private final WebServer server;
  private final TopicEvents events;
  private final SlowClientGuard slowClients;
  private final MeterRegistry metrics;
  private final boolean metricsListener;
  private final int requestedMetricsPort;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  /** The thread that accepts connections, once started; null if it could not be identified. */
  private volatile Thread listener;

  /** The port listened on, once started. */
  private volatile int boundPort = -1;

  HelidonHttpServer(MayflyHttpServer.Builder b) {
    this.node = b.node;
    this.address = b.address;
    this.requestedPort = b.port;
    this.metrics = b.metrics;
    var counters = new HttpMetrics(b.metrics);
    this.events = new TopicEvents(b.node, closing, b.eventBufferBytes, counters);
    this.metricsListener = b.metricsPort >= 0;
    this.requestedMetricsPort = b.metricsPort;
    var ops = new OpsRoutes(b.readinessChecks, b.metrics, closing, () -> problems().isEmpty());
    var api =
        new ApiV1(
            b.node,
            new Access(b.adminToken, b.clientTokens),
            b.maxBodyBytes,
            b.maxModuleBytes,
            events,
            ops,
            closing,
            this::problems,
            counters,
            new StatsRoute(b.node),
            new ClusterRoute(b.clusterView));
    HttpRouting.Builder routing = HttpRouting.builder().addFilter(this::filter);
    api.register(routing);
    this.slowClients = new SlowClientGuard(b.readTimeout, counters);
    var server =
        WebServer.builder()
            .address(b.address)
            .port(b.port)
            // close() stops the listener once the node has drained; Helidon's own hook would
            // stop it at once on SIGTERM, cutting off the requests in flight.
            .shutdownHook(false)
            .shutdownGracePeriod(STOP_GRACE)
            .maxTcpConnections(b.maxConnections)
            .idleConnectionTimeout(b.idleTimeout)
            .idleConnectionPeriod(checkPeriod(b.idleTimeout))
            .directHandlers(DirectErrors.handlers(counters))
            .errorHandling(ErrorHandling.builder().includeEntity(true).build())
            // HTTP/1.1 only, with the read timeout listening to its connections (discovered
            // protocols would add a second HTTP/1 selector beside this one).
            .protocolsDiscoverServices(false)
            .addProtocol(
                Http1Config.builder()
                    .addReceiveListener(slowClients)
                    .addSendListener(slowClients)
                    .build())
            .routing(routing);
    if (metricsListener) {
      HttpRouting.Builder metricsRouting = HttpRouting.builder();
      ops.registerMetricsListener(metricsRouting);
      server.putSocket(
          METRICS_SOCKET, s -> s.address(b.address).port(b.metricsPort).routing(metricsRouting));
    }
    this.server = server.build();
  }

  /** How often idle connections are looked for: a quarter of the timeout, 10 ms to 5 s. */
  private static Duration checkPeriod(Duration timeout) {
    return Duration.ofMillis(Math.clamp(timeout.toMillis() / 4, 10, 5_000));
  }

  @Override
  public MayflyHttpServer start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the HTTP server was already started");
    }
    Set<Thread> before = listenerThreads();
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
    var started = new ArrayList<>(listenerThreads());
    started.removeAll(before);
    listener = started.size() == 1 ? started.getFirst() : null;
    boundPort = server.port();
    LOG.log(Level.INFO, "Mayfly HTTP API listening on {0}", url());
    if (metricsListener) {
      LOG.log(Level.INFO, "Mayfly metrics listening on port {0}", metricsPort());
    }
    return this;
  }

  private static Set<Thread> listenerThreads() {
    Set<Thread> threads = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(LISTENER_THREAD)) {
        threads.add(t);
      }
    }
    return threads;
  }

  /**
   * What is broken: the node's problems ({@link Mayfly#problems()}), and the listener if it no
   * longer accepts connections while the server is not closing: its thread is gone, or a connection
   * to its port is refused (after an error Helidon closes the port and its thread stays stuck).
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>(node.problems());
    if (!closing.get()) {
      String listenerProblem = listenerProblem();
      if (listenerProblem != null) {
        problems.add(listenerProblem);
      }
    }
    return problems;
  }

  private String listenerProblem() {
    Thread t = listener;
    if (t != null && !t.isAlive()) {
      return "HTTP listener thread died: no new connection is accepted";
    }
    try (var probe = new Socket()) {
      probe.connect(new InetSocketAddress(address, boundPort), 1_000);
      return null;
    } catch (IOException e) {
      return "HTTP listener stopped: a connection to its port fails (" + e.getMessage() + ")";
    }
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
      slowClients.close();
      LOG.log(Level.INFO, "Mayfly HTTP API stopped");
    }
  }
}
