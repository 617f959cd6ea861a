package io.mayfly.http;

import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP API v1 of a node (routes in docs/http-api.md), on Helidon SE. Build one with {@link
 * #builder()}, {@link #start()} it, and {@link #close()} it to shut down: it refuses new requests,
 * closes the node (which drains the mailboxes and fails asks still pending, each answered with
 * 503), then stops listening.
 *
 * <pre>{@code
 * var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * Mayfly node = Mayfly.builder().meterRegistry(registry).build();
 * try (MayflyHttpServer http =
 *     MayflyHttpServer.builder().node(node).port(7070).metrics(registry).build().start()) {
 *   ...
 * }
 * }</pre>
 */
public interface MayflyHttpServer extends AutoCloseable {

  /**
   * A builder: loopback, port 7070, no tokens, 1 MiB bodies, 16 MiB modules, 10 s read timeout, 60
   * s idle timeout, 1024 connections, 4 MiB per event stream.
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if it was started before
   * @throws InvalidConfigException if it cannot listen on its address (the port is taken)
   */
  MayflyHttpServer start();

  /** The port it listens on (the one chosen when built with port 0); -1 before start. */
  int port();

  /** The base URL, such as {@code http://127.0.0.1:7070}. */
  String url();

  /**
   * The port of the separate metrics listener ({@link Builder#metricsPort(int)}); -1 when there is
   * none or before start.
   */
  int metricsPort();

  /**
   * Shuts down: new requests get 503, open event streams end, the node is closed (queued messages
   * drain, pending asks fail with 503 {@code node_closed}), then the listener stops. Idempotent.
   * The server registers no JVM shutdown hook of its own: call this from yours, so the listener
   * stops only after the requests in flight got their answer.
   */
  @Override
  void close();

  /** Builds a server; {@link #build()} rejects bad values naming them. */
  final class Builder {
    Mayfly node;
    String host = "127.0.0.1";
    int port = 7070;
    String adminToken;
    final List<String> clientTokens = new ArrayList<>();
    int maxBodyBytes = 1 << 20;
    int maxModuleBytes = 16 << 20;
    boolean insecure;
    PrometheusMeterRegistry metrics;
    int metricsPort = -1;
    final Map<String, BooleanSupplier> readinessChecks = new LinkedHashMap<>();
    InetAddress address;
    Duration readTimeout = Duration.ofSeconds(10);
    Duration idleTimeout = Duration.ofSeconds(60);
    int maxConnections = 1024;
    long eventBufferBytes = 4L << 20;
    Supplier<ClusterView> clusterView;

    Builder() {}

    /** The node to serve (required). The server closes it on {@link MayflyHttpServer#close()}. */
    public Builder node(Mayfly node) {
      this.node = node;
      return this;
    }

    /** Address to listen on (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to listen on; 0 picks a free one (default 7070). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The token of admin routes (deploy, undeploy, state, actor lists, metrics). */
    public Builder adminToken(String token) {
      this.adminToken = token;
      return this;
    }

    /** Tokens of client routes (send, ask, publish, topic events); replaces earlier ones. */
    public Builder clientTokens(List<String> tokens) {
      this.clientTokens.clear();
      this.clientTokens.addAll(tokens);
      return this;
    }

    /** Largest body of a message or publication (default 1 MiB); larger ones get 413. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Largest module a deploy may upload (default 16 MiB); larger ones get 413. */
    public Builder maxModuleBytes(int bytes) {
      this.maxModuleBytes = bytes;
      return this;
    }

    /**
     * Allows listening on a non-loopback address without any token (default false): anyone who
     * reaches the port may then deploy code.
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * The registry the node was built with ({@code Mayfly.builder().meterRegistry(..)}), served on
     * {@code GET /metrics}; without one {@code /metrics} answers 404.
     */
    public Builder metrics(PrometheusMeterRegistry registry) {
      this.metrics = registry;
      return this;
    }

    /**
     * A second listener, on the same host, that serves only {@code GET /metrics} and without a
     * token, for a Prometheus scraper that should not hold the admin token; -1 for none (the
     * default), 0 for a free port. Needs {@link #metrics(PrometheusMeterRegistry)}.
     */
    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    /**
     * How long a client may take to send a request's line and headers, counted from its first byte
     * (default 10 s). A client slower than that (a slowloris) has its connection closed, counted in
     * {@code mayfly.http.connections.closed{reason="read_timeout"}}.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /**
     * Adds a named check to {@code GET /readyz}: the node answers ready (200) only while every
     * check returns true, otherwise 503 with each check's result. The check {@code node} (the node
     * accepts work: it is not shutting down) is always there. Checks run on every probe: keep them
     * quick and non-blocking, such as reading a connection flag.
     *
     * @param name how the check is shown, such as {@code mqtt}; unique
     * @param ready whether the check passes now; an exception counts as failing
     */
    public Builder readinessCheck(String name, BooleanSupplier ready) {
      check(
          name != null && name.matches("[a-z][a-z0-9_-]{0,63}"),
          "a readiness check's name must be 1-64 of a-z, 0-9, _ and -, starting with a letter,"
              + " was "
              + name);
      check(
          !name.equals("node") && !readinessChecks.containsKey(name),
          "readiness check '" + name + "' exists already");
      check(ready != null, "readiness check '" + name + "' needs a check");
      readinessChecks.put(name, ready);
      return this;
    }

    /**
     * How long a connection may stay open without a request before the server closes it (default 60
     * s).
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Connections served at once (default 1024). Further connections wait in the operating system's
     * accept queue until one closes.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /**
     * Bytes of publications an event stream may hold for a client that reads slower than they are
     * published (default 4 MiB). A stream that falls further behind is ended with a final {@code
     * closed} event (reason {@code slow_consumer}); the client reconnects. An event that finds the
     * buffer empty is always taken, so a single publication larger than the bound still gets
     * through.
     */
    public Builder eventBufferBytes(long bytes) {
      this.eventBufferBytes = bytes;
      return this;
    }

    /**
     * Where {@code GET /v1/cluster} (admin) gets the cluster as this member sees it; called on
     * every request, so it should be quick. Without one (an embedded node, the default) the route
     * answers 404 {@code not_clustered}.
     */
    public Builder clusterView(Supplier<ClusterView> view) {
      check(view != null, "clusterView needs a supplier");
      this.clusterView = view;
      return this;
    }

    /**
     * Builds the server without binding.
     *
     * @throws InvalidConfigException naming a bad value
     * @throws InsecureBindingException for a non-loopback address without tokens or {@code
     *     insecure}
     */
    public MayflyHttpServer build() {
      check(node != null, "node is required");
      check(port >= 0 && port <= 65535, "port must be in 0..65535, was " + port);
      check(maxBodyBytes >= 1, "maxBodyBytes must be positive, was " + maxBodyBytes);
      check(maxModuleBytes >= 8, "maxModuleBytes must be at least 8, was " + maxModuleBytes);
      check(adminToken == null || !adminToken.isBlank(), "adminToken must not be blank");
      for (String t : clientTokens) {
        check(t != null && !t.isBlank(), "client tokens must not be blank");
        check(!t.equals(adminToken), "a client token must differ from the admin token");
      }
      check(host != null && !host.isBlank(), "host is required");
      check(
          metricsPort >= -1 && metricsPort <= 65535,
          "metricsPort must be -1 (none) or in 0..65535, was " + metricsPort);
      check(
          metricsPort == -1 || metrics != null,
          "metricsPort needs the Prometheus registry (metrics(registry))");
      check(
          metricsPort <= 0 || metricsPort != port,
          "metricsPort must differ from port, both were " + port);
      checkPositive("readTimeout", readTimeout);
      checkPositive("idleTimeout", idleTimeout);
      check(maxConnections >= 1, "maxConnections must be positive, was " + maxConnections);
      check(eventBufferBytes >= 1, "eventBufferBytes must be positive, was " + eventBufferBytes);
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new InvalidConfigException("host '" + host + "' cannot be resolved", e);
      }
      boolean tokens = adminToken != null || !clientTokens.isEmpty();
      if (!address.isLoopbackAddress() && !tokens && !insecure) {
        throw new InsecureBindingException(
            "refusing to listen on "
                + host
                + " (not a loopback address) without tokens: anyone who reaches it could deploy"
                + " code. Set an admin token and client tokens, listen on 127.0.0.1, or start"
                + " insecure explicitly");
      }
      return new HelidonHttpServer(this);
    }

    private static void checkPositive(String name, Duration d) {
      check(
          d != null && d.isPositive() && d.compareTo(Duration.ofDays(1)) <= 0,
          name + " must be positive and at most a day, was " + d);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidConfigException(message);
      }
    }
  }
}
