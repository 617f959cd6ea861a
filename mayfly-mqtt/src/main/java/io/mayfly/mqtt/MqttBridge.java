package io.mayfly.mqtt;

import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Connects a {@link Mayfly} node to an MQTT broker (MQTT 5): broker topics are routed to actors,
 * and node topics are published back to the broker. See docs/mqtt.md.
 *
 * <pre>{@code
 * try (MqttBridge bridge =
 *     MqttBridge.builder()
 *         .node(node)
 *         .broker("127.0.0.1", 1883)
 *         .clientId("mayfly-gateway-1")
 *         .route("sensors/+/temperature", "sensor/{1}")
 *         .publish("alerts/#", "mayfly/alerts/{1}")
 *         .build()) {
 *   bridge.start().toCompletableFuture().join();
 *   ...
 * }
 * }</pre>
 *
 * <p>Inbound QoS 1 messages are acknowledged to the broker only once the actor's mailbox accepted
 * them; while the mailbox is full the bridge retries with backoff. Messages that can never be
 * delivered (no route, bad address, unknown type, too large) are logged, counted as rejected and
 * acknowledged. The bridge reconnects with backoff when the broker goes away.
 */
public interface MqttBridge extends AutoCloseable {

  /** A builder with the defaults of docs/configuration.md. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Starts listening to node topics and connecting to the broker; if the broker is unreachable the
   * bridge keeps trying with the reconnect backoff.
   *
   * @return completes when the bridge is first connected and subscribed; fails with {@link
   *     MqttBridgeException} if the bridge is closed before that
   * @throws MqttBridgeException if the bridge was already started or closed
   */
  CompletionStage<Void> start();

  /** Whether the bridge is connected to the broker and its subscriptions are acknowledged. */
  boolean connected();

  /** Counters since the bridge was built. */
  MqttBridgeStats stats();

  /**
   * Stops listening to node topics, leaves the shared subscriptions of its {@link
   * Builder#sharedGroup(String) group} (so the broker hands the group's messages to the other
   * bridges from then on), and disconnects. Messages still waiting for a full mailbox are not
   * acknowledged: with a persistent session the broker delivers them again on the next connection.
   */
  @Override
  void close();

  /** Builds a bridge; {@link #build()} rejects bad values naming them. */
  final class Builder {
    private Mayfly node;
    private String host = "127.0.0.1";
    private int port = 1883;
    private String clientId;
    private String username;
    private byte[] password;
    private final List<InboundRoute> routes = new ArrayList<>();
    private final List<OutboundRoute> publications = new ArrayList<>();
    private Duration reconnectInitialDelay = Duration.ofMillis(100);
    private Duration reconnectMaxDelay = Duration.ofSeconds(1);
    private Duration retryInitialDelay = Duration.ofMillis(10);
    private Duration retryMaxDelay = Duration.ofSeconds(1);
    private Duration sessionExpiry = Duration.ofHours(1);
    private int maxInFlight = 1024;
    private String sharedGroup;
    private Boolean confirm;
    private MeterRegistry meterRegistry;

    Builder() {}

    /** The node to deliver to and publish from (required). */
    public Builder node(Mayfly node) {
      this.node = node;
      return this;
    }

    /** The broker's host and port (default {@code 127.0.0.1:1883}). */
    public Builder broker(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /**
     * The MQTT client identifier (required). Keep it stable across restarts: the broker keeps the
     * bridge's session, subscriptions and unacknowledged QoS 1 messages under it.
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** User name and password for the broker (default: none). */
    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Routes a broker topic filter to actors at QoS 1: see {@link #route(String, String, int)}. */
    public Builder route(String topicFilter, String addressTemplate) {
      return route(topicFilter, addressTemplate, 1);
    }

    /**
     * Routes messages on a broker topic filter to actors. The payload is passed as is. When a topic
     * matches several routes, the first one added wins.
     *
     * @param topicFilter an MQTT filter ({@code +} one segment, {@code #} the rest)
     * @param addressTemplate the actor, {@code type/id}; {@code {1}}, {@code {2}}… stand for the
     *     segments the wildcards matched, e.g. {@code sensor/{1}}
     * @param qos the subscription's maximum QoS, 0 or 1
     */
    public Builder route(String topicFilter, String addressTemplate, int qos) {
      routes.add(new InboundRoute(topicFilter, addressTemplate, qos));
      return this;
    }

    /** Publishes node topics to the broker at QoS 1: see {@link #publish(String, String, int)}. */
    public Builder publish(String nodeFilter, String topicTemplate) {
      return publish(nodeFilter, topicTemplate, 1);
    }

    /**
     * Publishes what is published on the node (by actors or from outside) on a topic filter to the
     * broker, retain false. Do not publish to a broker topic that a route listens to: the message
     * would loop.
     *
     * @param nodeFilter a Mayfly topic filter
     * @param topicTemplate the broker topic; {@code {1}}, {@code {2}}… stand for the segments the
     *     wildcards matched, e.g. {@code mayfly/alerts/{1}}
     * @param qos the QoS of the broker publication, 0 or 1
     */
    public Builder publish(String nodeFilter, String topicTemplate, int qos) {
      publications.add(new OutboundRoute(nodeFilter, topicTemplate, qos));
      return this;
    }

    /**
     * Backoff between attempts to reach the broker, doubling from the initial delay up to the
     * maximum (default 100 ms to 1 s). Keep the maximum short: a broker that restarts without the
     * bridge's session delivers nothing to the bridge until it has reconnected and subscribed
     * again, so every second of backoff after the broker is back is a second of messages lost.
     */
    public Builder reconnect(Duration initialDelay, Duration maxDelay) {
      this.reconnectInitialDelay = initialDelay;
      this.reconnectMaxDelay = maxDelay;
      return this;
    }

    /**
     * Backoff between attempts to put a message into a full mailbox, doubling from the initial
     * delay up to the maximum (default 10 ms to 1 s).
     */
    public Builder mailboxRetry(Duration initialDelay, Duration maxDelay) {
      this.retryInitialDelay = initialDelay;
      this.retryMaxDelay = maxDelay;
      return this;
    }

    /**
     * How long the broker keeps the bridge's session (subscriptions and QoS 1 messages) after a
     * disconnection (default 1 hour); zero starts a clean session on every connection.
     */
    public Builder sessionExpiry(Duration expiry) {
      this.sessionExpiry = expiry;
      return this;
    }

    /**
     * Most messages in flight in each direction (default 1024): inbound QoS 0 messages waiting for
     * a full mailbox (more are dropped and counted); node publications the client has not yet
     * handed to the broker (more fail and are counted). Inbound QoS 1 messages are bounded by the
     * broker's in-flight limit instead (mosquitto: {@code max_inflight_messages}).
     */
    public Builder maxInFlight(int messages) {
      this.maxInFlight = messages;
      return this;
    }

    /**
     * Subscribes the routes as MQTT 5 shared subscriptions of this group ({@code
     * $share/GROUP/FILTER}; default: none, plain subscriptions). The broker hands each message on a
     * route's filter to one of the clients subscribed with the same group, so bridges on several
     * members of a cluster, all with the same group and each with its own client id, handle each
     * broker message once between them. Topics are still matched to routes by the route's own
     * filter. Retained messages are not sent to shared subscriptions.
     *
     * @param group the share name: not empty, without {@code /}, {@code +} or {@code #}; {@code
     *     null} for plain subscriptions
     * @throws InvalidConfigException if the group is not a valid share name
     */
    public Builder sharedGroup(String group) {
      check(
          group == null || validShareName(group),
          "sharedGroup must be non-empty and contain no '/', '+' or '#', was '" + group + "'");
      this.sharedGroup = group;
      return this;
    }

    /**
     * Whether a QoS 1 message is acknowledged to the broker (PUBACK) only once the turn that
     * handled it is confirmed ({@link Mayfly#tellConfirmed}): committed, with its outputs released
     * and, in a cluster, its state on the backup. Otherwise it is acknowledged once its actor's
     * mailbox took it. Default: confirmed on a member of a cluster (a node whose placement is not
     * the local one), where a member that dies with the message queued would otherwise lose an
     * acknowledged message; queued on an embedded node, where the two differ only if the process
     * dies.
     *
     * <p>A confirmed message whose turn failed is acknowledged, counted as rejected and logged, as
     * an undeliverable one is: the broker would hand it over again only to fail the same way. One
     * that is not confirmed because its actor could not be reached or no confirmation came within
     * the type's ask timeout (its owner died, or moved) is not acknowledged and is sent to its
     * actor again after the mailbox retry delay (so it may be handled twice: QoS 1 is at least
     * once). QoS 0 messages are never confirmed.
     */
    public Builder confirm(boolean confirm) {
      this.confirm = confirm;
      return this;
    }

    /**
     * Registers the bridge's meters (default: none): counters of messages received, delivered,
     * rejected, dropped, retried, published, failed publications, reconnects and sessions the
     * broker had forgotten on a reconnect, and a gauge of whether it is connected ({@code
     * mayfly.mqtt.*}, listed in docs/mqtt.md).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Builds the bridge; it does nothing until {@link MqttBridge#start()}.
     *
     * @throws InvalidConfigException naming a missing or bad value
     */
    public MqttBridge build() {
      check(node != null, "node is required");
      check(host != null && !host.isBlank(), "broker host is required");
      check(port >= 1 && port <= 65535, "broker port must be in 1..65535, was " + port);
      check(
          clientId != null && !clientId.isEmpty() && clientId.length() <= 128,
          "clientId is required (1-128 characters), was " + clientId);
      check(
          !routes.isEmpty() || !publications.isEmpty(),
          "a bridge needs at least one route or publish");
      positive("reconnect initialDelay", reconnectInitialDelay);
      positive("reconnect maxDelay", reconnectMaxDelay);
      check(
          reconnectMaxDelay.compareTo(reconnectInitialDelay) >= 0,
          "reconnect maxDelay " + reconnectMaxDelay + " is below initialDelay");
      positive("mailboxRetry initialDelay", retryInitialDelay);
      positive("mailboxRetry maxDelay", retryMaxDelay);
      check(
          retryMaxDelay.compareTo(retryInitialDelay) >= 0,
          "mailboxRetry maxDelay " + retryMaxDelay + " is below initialDelay");
      check(
          sessionExpiry != null
              && !sessionExpiry.isNegative()
              && sessionExpiry.toSeconds() <= 0xFFFFFFFFL,
          "sessionExpiry must be between 0 and 2^32-1 seconds, was " + sessionExpiry);
      check(
          maxInFlight >= 1 && maxInFlight <= 65535,
          "maxInFlight must be in 1..65535, was " + maxInFlight);
      check(username != null || password == null, "a password needs a username");
      MqttBridge bridge =
          new HiveMqBridge(
              new BridgeConfig(
                  node,
                  host,
                  port,
                  clientId,
                  username,
                  password,
                  List.copyOf(routes),
                  List.copyOf(publications),
                  reconnectInitialDelay,
                  reconnectMaxDelay,
                  retryInitialDelay,
                  retryMaxDelay,
                  sessionExpiry,
                  maxInFlight,
                  sharedGroup,
                  confirm != null ? confirm : node.config().placement() != Placement.local()));
      if (meterRegistry != null) {
        BridgeMeters.bind(bridge, meterRegistry);
      }
      return bridge;
    }

    /** A share name of MQTT 5 (4.8.2): at least one character, none of {@code / + #}. */
    private static boolean validShareName(String group) {
      return !group.isEmpty()
          && group.indexOf('/') < 0
          && group.indexOf('+') < 0
          && group.indexOf('#') < 0;
    }

    private static void positive(String name, Duration d) {
      check(
          d != null && !d.isNegative() && !d.isZero(),
          name + " must be a positive duration, was " + d);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidConfigException(message);
      }
    }
  }
}
