package io.mayfly.cli;

import io.mayfly.http.MayflyHttpServer;
import io.mayfly.mqtt.MqttBridge;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mayfly run}: a node with the HTTP API, until Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Starts a node with the HTTP API (docs/http-api.md) and runs until Ctrl-C or SIGTERM, then"
          + " shuts down gracefully: refuses new requests (503), lets actors finish their queued"
          + " messages (up to the drain timeout) so requests in flight get their answer, answers"
          + " asks still pending with 503, and only then stops listening.",
      "",
      "Settings come from a properties file (--config or MAYFLY_CONFIG), environment variables"
          + " MAYFLY_<KEY> (MAYFLY_ADMIN_TOKEN, MAYFLY_CLIENT_TOKENS, ...) and these options;"
          + " options override the environment, which overrides the file. Every key and default:"
          + " docs/configuration.md.",
      "",
      "Listening on an address other than loopback needs tokens, or --insecure.",
      "",
      "With --mqtt, a bridge to that MQTT broker starts after the HTTP server and stops before"
          + " the node drains (docs/mqtt.md)."
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class RunCommand implements Callable<Integer> {
  /** How long a Ctrl-C waits for the node to drain and stop. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /** The first reconnect delay of the MQTT bridge (its default). */
  private static final Duration MQTT_RECONNECT_INITIAL = Duration.ofMillis(100);

  /** Picks the default MQTT client id. */
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Mixin LogOptions logOptions;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description = "Where the HTTP API listens (default 127.0.0.1:7070; port 0 picks a free one).")
  String http;

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings.")
  Path config;

  @Option(
      names = "--admin-token",
      paramLabel = "TOKEN",
      description = "Token for deploy, undeploy, state, actor lists and metrics.")
  String adminToken;

  @Option(
      names = "--client-token",
      paramLabel = "TOKEN",
      description = "Token for send, ask, publish and tail. Repeatable.")
  List<String> clientTokens;

  @Option(
      names = "--insecure",
      description =
          "Allow a non-loopback address without tokens: anyone who reaches it may deploy.")
  Boolean insecure;

  @Option(
      names = "--tracing",
      description =
          "Trace messages: every turn is a span of the W3C trace its message carries, and the"
              + " node keeps its recent traces (GET /v1/traces). Default: off.")
  Boolean tracing;

  @Option(
      names = "--otlp-endpoint",
      paramLabel = "URL",
      description =
          "Export spans over OTLP/HTTP to this collector (http://host:4318; /v1/traces is added to"
              + " a URL without a path); turns tracing on. Default: OTEL_EXPORTER_OTLP_ENDPOINT,"
              + " else none.")
  String otlpEndpoint;

  @Option(names = "--workers", paramLabel = "N", description = "CPU workers (default: the cores).")
  String workers;

  @Option(
      names = "--state-budget-bytes",
      paramLabel = "BYTES",
      description = "Node-wide budget of short-term state (default: a quarter of the heap).")
  String stateBudgetBytes;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      description = "How long shutdown waits for queued messages (default 10s).")
  String drainTimeout;

  @Option(
      names = "--idempotency-window",
      paramLabel = "DURATION",
      description =
          "How long an actor remembers the Idempotency-Key of a message it handled (default 5m).")
  String idempotencyWindow;

  @Option(
      names = "--worker-spin",
      paramLabel = "DURATION",
      description =
          "How long an idle worker looks for work before it sleeps (default 20us; 0us: at once).")
  String workerSpin;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "BYTES",
      description = "Largest HTTP message or publication body (default 1 MiB).")
  String maxBodyBytes;

  @Option(
      names = "--max-module-bytes",
      paramLabel = "BYTES",
      description = "Largest module a deploy may upload (default 16 MiB).")
  String maxModuleBytes;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Also serve GET /metrics on this port, on the --http host and without a token, for a"
              + " Prometheus scraper (default: none; 0 picks a free one).")
  String metricsPort;

  @Option(
      names = "--http-read-timeout",
      paramLabel = "DURATION",
      description =
          "How long a client may take to send a request's headers; slower ones are disconnected"
              + " (default 10s).")
  String httpReadTimeout;

  @Option(
      names = "--http-idle-timeout",
      paramLabel = "DURATION",
      description = "How long a connection may stay without a request (default 60s).")
  String httpIdleTimeout;

  @Option(
      names = "--http-max-connections",
      paramLabel = "N",
      description = "HTTP connections served at once; more wait (default 1024).")
  String httpMaxConnections;

  @Option(
      names = "--event-buffer-bytes",
      paramLabel = "BYTES",
      description =
          "Publications an event stream holds for a client that has not read them; a client"
              + " further behind is cut off (default 4 MiB).")
  String eventBufferBytes;

  @Option(
      names = "--mqtt",
      paramLabel = "HOST:PORT",
      description = "An MQTT broker to bridge to (default: no bridge). See docs/mqtt.md.")
  String mqtt;

  @Option(
      names = "--mqtt-client-id",
      paramLabel = "ID",
      description =
          "The bridge's MQTT client id (default mayfly-<random>; set a stable one to keep the"
              + " broker session across restarts).")
  String mqttClientId;

  @Option(
      names = "--mqtt-reconnect-max-delay",
      paramLabel = "DURATION",
      description =
          "Longest wait between the MQTT bridge's attempts to reach the broker (default 1s).")
  String mqttReconnectMaxDelay;

  @Option(
      names = "--mqtt-shared-group",
      paramLabel = "NAME",
      description =
          "Subscribes the MQTT routes as shared subscriptions of this group, so that the bridges"
              + " of several nodes handle each broker message once between them (default: the"
              + " cluster name with --cluster, else none). See docs/mqtt.md.")
  String mqttSharedGroup;

  @Option(
      names = "--mqtt-route",
      paramLabel = "FILTER=TYPE/ID[;qos=0|1]",
      description =
          "Routes a broker topic filter to actors, e.g. 'sensors/+/temperature=sensor/{1}'"
              + " ({1} is the first wildcard's segment; QoS 1 unless ;qos=0). Repeatable.")
  List<String> mqttRoutes;

  @Option(
      names = "--mqtt-publish",
      paramLabel = "NODEFILTER=TOPIC[;qos=0|1]",
      description =
          "Publishes node topics to the broker, e.g. 'alerts/#=mayfly/alerts/{1}'. Repeatable.")
  List<String> mqttPublish;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description =
          "Joins the cluster of this name (default: an embedded node, no cluster). See"
              + " docs/cluster.md.")
  String clusterName;

  @Option(
      names = "--members",
      paramLabel = "HOST:PORT,...",
      description = "Members of the cluster to join through (TCP/IP join).")
  String members;

  @Option(
      names = "--cluster-host",
      paramLabel = "HOST",
      description = "The address this member binds to and announces (default 127.0.0.1).")
  String clusterHost;

  @Option(
      names = "--cluster-port",
      paramLabel = "PORT",
      description = "The port other members reach this one on (default 5701).")
  String clusterPort;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "This member's node id, unique in the cluster (default HOST-PORT).")
  String nodeId;

  @Option(
      names = "--cluster-backup-count",
      paramLabel = "N",
      description = "Synchronous backups of each actor's state (default 1).")
  String clusterBackupCount;

  @Option(
      names = "--cluster-failure-timeout",
      paramLabel = "DURATION",
      description = "How long a silent member is taken for alive (default 5s, whole seconds).")
  String clusterFailureTimeout;

  @Option(
      names = "--cluster-minimum-size",
      paramLabel = "N",
      description =
          "Fewest members a side of a split needs to keep committing (default 1: no protection).")
  String clusterMinimumSize;

  /** The environment; tests replace it. */
  Map<String, String> env = System.getenv();

  private final CountDownLatch stopRequested = new CountDownLatch(1);

  @Override
  public Integer call() {
    NodeSettings settings;
    try {
      settings = NodeSettings.resolve(flags(), env, config);
    } catch (InvalidConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    var finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> stopAndWait(finished), "mayfly-run-shutdown");
    MqttBridge.Builder bridgeBuilder = bridgeBuilder(settings);
    try (var _ = logOptions.apply();
        var _ = ProcessMeters.bind(registry, Main.projectVersion());
        MayflyHttpServer server = start(settings, bridgeBuilder != null);
        // Declared after the server, so closed before it: MQTT ingress stops before the server
        // closes the node.
        MqttBridge bridge = startBridge(bridgeBuilder)) {
      Runtime.getRuntime().addShutdownHook(onCtrlC);
      out.println("Mayfly node listening on " + server.url());
      if (bridge != null) {
        out.println(
            "  mqtt:    bridging to "
                + settings.string("mqtt", "")
                + " as client "
                + bridgeBuilderClientId
                + (bridgeBuilderSharedGroup == null
                    ? ""
                    : ", shared group " + bridgeBuilderSharedGroup));
      }
      if (cluster != null) {
        out.println("  cluster: " + cluster.describe());
      }
      out.println("  ready:   curl " + server.url() + "/readyz");
      if (server.metricsPort() >= 0) {
        out.println(
            "  metrics: curl "
                + server.url().substring(0, server.url().lastIndexOf(':') + 1)
                + server.metricsPort()
                + "/metrics");
      }
      out.println("  deploy:  mayfly deploy TYPE FILE.wasm --url " + server.url());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      awaitStop();
      out.println("stopping: draining actors...");
      out.flush();
    } catch (RuntimeException | Error e) {
      finished.countDown();
      throw e;
    } finally {
      leaveCluster();
      removeHook(onCtrlC);
    }
    out.println("stopped");
    out.flush();
    // Last: on SIGTERM the JVM exits as soon as the hook waiting for this returns.
    finished.countDown();
    return ExitCodes.OK;
  }

  /** Asks a running {@code call()} to shut down and return (what Ctrl-C does). */
  void stop() {
    stopRequested.countDown();
  }

  /** The client id the bridge was configured with, for the start-up message. */
  private String bridgeBuilderClientId;

  /** The bridge's shared group, {@code null} for none, for the start-up message. */
  private String bridgeBuilderSharedGroup;

  /** The cluster member when {@code cluster} is set; it leaves after the server closed the node. */
  private ClusterWiring cluster;

  /** The node, once {@link #start} built it; the bridge delivers to it. */
  private Mayfly node;

  /** The bridge once started: readiness asks it whether it is connected. */
  private volatile MqttBridge bridge;

  /** The node's, the HTTP server's, the bridge's and the process's meters. */
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * Checks the MQTT settings before anything starts, so a bad value is a usage error (exit 2)
   * naming the setting; {@code null} when {@code mqtt} is not set.
   */
  private MqttBridge.Builder bridgeBuilder(NodeSettings s) {
    try {
      List<NodeSettings.TopicMapping> routes = s.topicMappings("mqtt-route");
      List<NodeSettings.TopicMapping> publications = s.topicMappings("mqtt-publish");
      if (s.value("mqtt").isEmpty()) {
        if (!routes.isEmpty()
            || !publications.isEmpty()
            || s.value("mqtt-shared-group").isPresent()) {
          throw new NodeSettings.SettingsException(
              "mqtt-route, mqtt-publish and mqtt-shared-group need mqtt (the broker's HOST:PORT)");
        }
        return null;
      }
      if (routes.isEmpty() && publications.isEmpty()) {
        throw new NodeSettings.SettingsException(
            "mqtt needs at least one mqtt-route or mqtt-publish");
      }
      bridgeBuilderClientId =
          s.string("mqtt-client-id", "mayfly-" + Long.toHexString(RANDOM.nextLong()));
      var b =
          MqttBridge.builder()
              .broker(s.hostOf("mqtt", "127.0.0.1:1883"), s.portOf("mqtt", "127.0.0.1:1883", 1))
              .clientId(bridgeBuilderClientId);
      // The bridge's build() checks it (a usage error naming it, like the other MQTT settings).
      s.duration("mqtt-reconnect-max-delay")
          .ifPresent(
              max ->
                  b.reconnect(
                      max.compareTo(MQTT_RECONNECT_INITIAL) < 0 ? max : MQTT_RECONNECT_INITIAL,
                      max));
      // Members of one cluster share the broker's messages: each is handled by one member.
      bridgeBuilderSharedGroup =
          s.string(
              "mqtt-shared-group", s.value("cluster").map(NodeSettings.Value::text).orElse(null));
      if (bridgeBuilderSharedGroup != null) {
        try {
          b.sharedGroup(bridgeBuilderSharedGroup);
        } catch (InvalidConfigException e) {
          throw s.badEntry(
              "mqtt-shared-group",
              bridgeBuilderSharedGroup,
              "must be a share name (not empty, no '/', '+' or '#')");
        }
      }
      for (var r : routes) {
        try {
          b.route(r.from(), r.to(), r.qos());
        } catch (InvalidConfigException e) {
          throw s.badEntry("mqtt-route", r.from() + "=" + r.to(), e.getMessage());
        }
      }
      for (var p : publications) {
        try {
          b.publish(p.from(), p.to(), p.qos());
        } catch (InvalidConfigException e) {
          throw s.badEntry("mqtt-publish", p.from() + "=" + p.to(), e.getMessage());
        }
      }
      return b;
    } catch (InvalidConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Starts the bridge after the node and the HTTP server; it connects in the background. */
  private MqttBridge startBridge(MqttBridge.Builder b) {
    if (b == null) {
      return null;
    }
    MqttBridge bridge;
    try {
      bridge = b.node(node).meterRegistry(registry).build();
    } catch (InvalidConfigException e) {
      throw new ParameterException(spec.commandLine(), "mqtt: " + e.getMessage());
    }
    // Not awaited: a broker that is down is retried with backoff while the node serves HTTP
    // (and /readyz answers 503 until it is connected).
    bridge.start();
    this.bridge = bridge;
    return bridge;
  }

  private MayflyHttpServer start(NodeSettings s, boolean mqtt) {
    Mayfly.Builder nb = Mayfly.builder().meterRegistry(registry);
    MayflyHttpServer.Builder hb;
    OtlpSpanSink sink;
    try {
      s.number("workers").ifPresent(n -> nb.workers(Math.toIntExact(n)));
      s.number("state-budget-bytes").ifPresent(nb::stateBudgetBytes);
      s.duration("drain-timeout").ifPresent(nb::drainTimeout);
      s.duration("worker-spin").ifPresent(nb::workerSpin);
      s.duration("idempotency-window").ifPresent(nb::idempotencyWindow);
      nb.tracing(s.bool("tracing"));
      var otlp = OtlpSettings.resolve(s, env);
      hb =
          MayflyHttpServer.builder()
              .host(s.host())
              .port(s.port())
              .adminToken(s.value("admin-token").map(NodeSettings.Value::text).orElse(null))
              .clientTokens(s.clientTokens())
              .insecure(s.bool("insecure"))
              .metrics(registry);
      s.number("max-body-bytes").ifPresent(n -> hb.maxBodyBytes(Math.toIntExact(n)));
      s.number("max-module-bytes").ifPresent(n -> hb.maxModuleBytes(Math.toIntExact(n)));
      s.number("metrics-port").ifPresent(n -> hb.metricsPort(Math.toIntExact(n)));
      if (mqtt) {
        hb.readinessCheck("mqtt", () -> bridge != null && bridge.connected());
      }
      s.duration("http-read-timeout").ifPresent(hb::readTimeout);
      s.duration("http-idle-timeout").ifPresent(hb::idleTimeout);
      s.number("http-max-connections").ifPresent(n -> hb.maxConnections(Math.toIntExact(n)));
      s.number("event-buffer-bytes").ifPresent(hb::eventBufferBytes);
      // The builders check their values when they build: a bad one is a usage error too.
      nb.settings();
      if (s.value("cluster").isPresent()) {
        cluster = ClusterWiring.of(s);
      }
      sink = otlp.map(o -> OtlpSpanSink.start(o, registry)).orElse(null);
    } catch (InvalidConfigException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      nb.spanSink(sink); // the node closes the sink when it closes
      if (cluster == null) {
        node = nb.build();
      } else {
        node = cluster.join(nb);
        hb.readinessCheck("cluster", cluster.ready()).clusterView(cluster::view);
      }
    } catch (RuntimeException e) {
      if (sink != null) {
        sink.close();
      }
      throw e;
    }
    try {
      return hb.node(node).build().start();
    } catch (RuntimeException e) {
      node.close();
      leaveCluster();
      throw e;
    }
  }

  /** Leaves the cluster, once the server has closed the node. */
  private void leaveCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Map<String, String> flags() {
    var flags = new LinkedHashMap<String, String>();
    put(flags, "http", http);
    put(flags, "admin-token", adminToken);
    if (clientTokens != null) {
      put(flags, "client-tokens", String.join(",", clientTokens));
    }
    put(flags, "insecure", insecure == null ? null : insecure.toString());
    put(flags, "workers", workers);
    put(flags, "state-budget-bytes", stateBudgetBytes);
    put(flags, "drain-timeout", drainTimeout);
    put(flags, "worker-spin", workerSpin);
    put(flags, "idempotency-window", idempotencyWindow);
    put(flags, "max-body-bytes", maxBodyBytes);
    put(flags, "max-module-bytes", maxModuleBytes);
    put(flags, "metrics-port", metricsPort);
    put(flags, "http-read-timeout", httpReadTimeout);
    put(flags, "http-idle-timeout", httpIdleTimeout);
    put(flags, "http-max-connections", httpMaxConnections);
    put(flags, "event-buffer-bytes", eventBufferBytes);
    put(flags, "tracing", tracing == null ? null : tracing.toString());
    put(flags, "otlp-endpoint", otlpEndpoint);
    put(flags, "mqtt", mqtt);
    put(flags, "mqtt-client-id", mqttClientId);
    put(flags, "mqtt-reconnect-max-delay", mqttReconnectMaxDelay);
    put(flags, "mqtt-shared-group", mqttSharedGroup);
    put(flags, "cluster", clusterName);
    put(flags, "members", members);
    put(flags, "cluster-host", clusterHost);
    put(flags, "cluster-port", clusterPort);
    put(flags, "node-id", nodeId);
    put(flags, "cluster-backup-count", clusterBackupCount);
    put(flags, "cluster-failure-timeout", clusterFailureTimeout);
    put(flags, "cluster-minimum-size", clusterMinimumSize);
    if (mqttRoutes != null) {
      put(flags, "mqtt-route", String.join(NodeSettings.LIST_SEPARATOR, mqttRoutes));
    }
    if (mqttPublish != null) {
      put(flags, "mqtt-publish", String.join(NodeSettings.LIST_SEPARATOR, mqttPublish));
    }
    return flags;
  }

  private static void put(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }

  private void awaitStop() {
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs on Ctrl-C: ends the wait, then lets {@code call()} close the server and the node. */
  private void stopAndWait(CountDownLatch finished) {
    stop();
    try {
      finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting (Ctrl-C): the hook is running and returns once we are done.
    }
  }
}
