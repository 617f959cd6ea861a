package io.mayfly.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.Mqtt5Unsubscribe;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.Span;
import io.mayfly.runtime.Subscription;
import io.mayfly.runtime.TopicListener;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Tracing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bridge on the HiveMQ MQTT client's asynchronous API (MQTT 5). Inbound messages arrive on the
 * client's Netty thread with manual acknowledgement; full mailboxes are retried on one scheduler
 * thread of this bridge. Node publications are handed to the client's asynchronous publish, so the
 * actor worker that published never waits for the network.
 */
final class HiveMqBridge implements MqttBridge {
  private static final System.Logger LOG = System.getLogger(HiveMqBridge.class.getName());
  private static final long DISCONNECT_TIMEOUT_SECONDS = 5;

  /** The user properties that carry W3C trace context, as HTTP's headers do. */
  static final String TRACEPARENT = "traceparent";

  static final String TRACESTATE = "tracestate";

  private final BridgeConfig config;
  private final Mqtt5AsyncClient client;
  private final ScheduledThreadPoolExecutor scheduler;
  private final InboundDelivery delivery;
  private final InboundDelivery.Counters counters =
      new InboundDelivery.Counters(
          new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
  private final LongAdder received = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder sessionsLost = new LongAdder();
  private final AtomicInteger outboundInFlight = new AtomicInteger();

  /** Bytes of the publications waiting for the client, bounded by {@link #MAX_OUTBOUND_BYTES}. */
  private final java.util.concurrent.atomic.AtomicLong outboundBytes =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * The most bytes of node publications that may wait for the client (while the broker is slow or
   * away): 16 MiB, besides the count bound {@code maxInFlight}. One publication larger than that
   * still goes when nothing else waits.
   */
  static final long MAX_OUTBOUND_BYTES = 16L << 20;

  private final AtomicBoolean everConnected = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
  private final List<Subscription> nodeSubscriptions = new ArrayList<>();
  private volatile boolean ready;
  private volatile boolean closed;

  /** The configuration it was built with. */
  BridgeConfig config() {
    return config;
  }

  HiveMqBridge(BridgeConfig config) {
    this.config = config;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mayfly-mqtt-retry-" + config.clientId());
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.delivery =
        new InboundDelivery(
            config.node(),
            scheduler,
            config.retryInitialDelay(),
            config.retryMaxDelay(),
            config.maxInFlight(),
            config.confirm(),
            counters);
    this.client = buildClient(config);
  }

  private Mqtt5AsyncClient buildClient(BridgeConfig c) {
    Mqtt5ClientBuilder b =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(c.clientId())
            .serverHost(c.host())
            .serverPort(c.port())
            .automaticReconnect()
            .initialDelay(c.reconnectInitialDelay().toNanos(), TimeUnit.NANOSECONDS)
            .maxDelay(c.reconnectMaxDelay().toNanos(), TimeUnit.NANOSECONDS)
            .applyAutomaticReconnect()
            .addConnectedListener(this::onConnected)
            .addDisconnectedListener(this::onDisconnected);
    if (c.username() != null) {
      var auth = b.simpleAuth().username(c.username());
      if (c.password() != null) {
        auth = auth.password(c.password());
      }
      b = auth.applySimpleAuth();
    }
    return b.buildAsync();
  }

  @Override
  public CompletionStage<Void> start() {
    if (closed) {
      throw new MqttBridgeException("MQTT bridge " + config.clientId() + " is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new MqttBridgeException("MQTT bridge " + config.clientId() + " is already started");
    }
    for (OutboundRoute route : config.publications()) {
      nodeSubscriptions.add(
          config
              .node()
              .subscribe(
                  route.filter(),
                  new TopicListener() {
                    @Override
                    public void onPublication(String topic, byte[] payload, Address from) {
                      forward(route, topic, payload, null);
                    }

                    @Override
                    public boolean clusterWide() {
                      // Every member's bridge publishes to the broker: each forwards only the
                      // publications made on its own member, so the broker gets each once.
                      return false;
                    }

                    @Override
                    public void onPublication(
                        String topic, byte[] payload, Address from, TraceContext trace) {
                      forward(route, topic, payload, trace);
                    }
                  }));
    }
    // One global flow before connecting: it also sees what a resumed session redelivers before
    // the subscriptions of this run are acknowledged.
    client.publishes(MqttGlobalPublishFilter.ALL, this::onInbound, true);
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(config.sessionExpiry().toSeconds())
        // No receive maximum below the protocol's 65535: mosquitto 2.0.11 was seen sending more
        // unacknowledged QoS 1 messages than a smaller one allows under load, and the client
        // then drops the connection (protocol error), again and again; the client also drops
        // QoS 0 messages beyond that many queued.
        .send()
        .whenComplete(
            (ack, failure) -> {
              if (failure != null) {
                firstReady.completeExceptionally(
                    new MqttBridgeException(
                        "MQTT bridge "
                            + config.clientId()
                            + " did not connect to "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + failure.getMessage(),
                        failure));
              }
            });
    return firstReady.copy();
  }

  @Override
  public boolean connected() {
    return ready;
  }

  @Override
  public MqttBridgeStats stats() {
    return new MqttBridgeStats(
        received.sum(),
        counters.delivered().sum(),
        counters.rejected().sum(),
        counters.dropped().sum(),
        counters.retries().sum(),
        published.sum(),
        publishFailures.sum(),
        reconnects.sum(),
        sessionsLost.sum());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean wasReady = ready;
    ready = false;
    nodeSubscriptions.forEach(Subscription::close);
    if (wasReady && config.sharedGroup() != null && !config.routes().isEmpty()) {
      leaveSharedSubscriptions();
    }
    delivery.close();
    if (started.get()) {
      client
          .disconnect()
          .orTimeout(DISCONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .exceptionally(
              failure -> {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "MQTT bridge " + config.clientId() + " disconnect: " + failure);
                return null;
              })
          .join();
    }
    scheduler.shutdownNow();
    firstReady.completeExceptionally(
        new MqttBridgeException(
            "MQTT bridge " + config.clientId() + " closed before it connected"));
  }

  /**
   * Unsubscribes the shared subscriptions before disconnecting: the broker keeps a disconnected
   * session in its group and goes on handing it its share of messages (mosquitto queues them in the
   * session until it expires), so a bridge that leaves for good says so first.
   */
  private void leaveSharedSubscriptions() {
    var filters = new ArrayList<MqttTopicFilter>();
    for (InboundRoute route : config.routes()) {
      filters.add(MqttTopicFilter.of(config.subscriptionFilter(route)));
    }
    client
        .unsubscribe(Mqtt5Unsubscribe.builder().addTopicFilters(filters).build())
        .orTimeout(DISCONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .exceptionally(
            failure -> {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "MQTT bridge "
                      + config.clientId()
                      + " could not leave its shared subscriptions (the broker may go on"
                      + " handing its session a share of messages until the session expires): "
                      + failure);
              return null;
            })
        .join();
  }

  // --- connection lifecycle (Netty thread) ---

  private void onConnected(MqttClientConnectedContext context) {
    if (closed) {
      // An attempt scheduled before close() got through.
      client.disconnect();
      return;
    }
    boolean reconnect = everConnected.getAndSet(true);
    boolean sessionPresent =
        context instanceof Mqtt5ClientConnectedContext c5 && c5.getConnAck().isSessionPresent();
    String where = config.host() + ":" + config.port();
    if (reconnect) {
      reconnects.increment();
      if (!sessionPresent) {
        sessionsLost.increment();
      }
      // One line per reconnect, at the level `mayfly run` shows.
      LOG.log(
          System.Logger.Level.WARNING,
          "MQTT bridge "
              + config.clientId()
              + " reconnected to "
              + where
              + (sessionPresent
                  ? " (session kept)"
                  : " (the broker had forgotten the session: what was published to the routes'"
                      + " topics while the bridge was away is lost; subscribing again now)"));
    } else {
      LOG.log(
          System.Logger.Level.INFO,
          () -> "MQTT bridge " + config.clientId() + " connected to " + where);
    }
    if (config.routes().isEmpty()) {
      markReady();
      return;
    }
    // Subscribe on every connection, session or not: a restarted broker without persistence has
    // forgotten the session. Existing subscriptions are replaced without resending retained
    // messages.
    var subscriptions = new ArrayList<Mqtt5Subscription>();
    for (InboundRoute route : config.routes()) {
      subscriptions.add(
          Mqtt5Subscription.builder()
              .topicFilter(config.subscriptionFilter(route))
              .qos(route.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
              .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
              .build());
    }
    client
        .subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build())
        .whenComplete(this::onSubscribed);
  }

  private void onSubscribed(Mqtt5SubAck subAck, Throwable failure) {
    if (failure != null) {
      // The connection went away meanwhile: the next connection subscribes again.
      LOG.log(
          System.Logger.Level.WARNING,
          "MQTT bridge " + config.clientId() + " could not subscribe: " + failure.getMessage());
      return;
    }
    var codes = subAck.getReasonCodes();
    for (int i = 0; i < codes.size(); i++) {
      if (codes.get(i).isError()) {
        LOG.log(
            System.Logger.Level.ERROR,
            "MQTT broker refused the subscription to '"
                + config.subscriptionFilter(config.routes().get(i))
                + "' of bridge "
                + config.clientId()
                + ": "
                + codes.get(i));
      }
    }
    markReady();
  }

  private void markReady() {
    ready = true;
    firstReady.complete(null);
  }

  private void onDisconnected(MqttClientDisconnectedContext context) {
    ready = false;
    if (closed) {
      // disconnect() cannot stop a client that is between attempts; refusing the next one does.
      context.getReconnector().reconnect(false);
      return;
    }
    if (context.getSource() == MqttDisconnectSource.USER) {
      return;
    }
    // Node publications still in flight are sent again even if the broker lost the session.
    // (resubscribeIfSessionExpired stays on: turning it off also drops the inbound callback.)
    context.getReconnector().republishIfSessionExpired(true);
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "MQTT bridge "
                + config.clientId()
                + " disconnected from "
                + config.host()
                + ":"
                + config.port()
                + " ("
                + context.getCause().getMessage()
                + "); reconnecting with backoff");
  }

  // --- inbound (Netty thread) ---

  private void onInbound(Mqtt5Publish publish) {
    received.increment();
    String topic = publish.getTopic().toString();
    Runnable ack = publish::acknowledge;
    Address target = null;
    String reason = "no route matches the topic";
    for (InboundRoute route : config.routes()) {
      try {
        target = route.address(topic);
      } catch (InvalidAddressException e) {
        reason =
            "route " + route.filter() + " -> " + route.addressTemplate() + ": " + e.getMessage();
        break;
      }
      if (target != null) {
        break;
      }
    }
    if (target == null) {
      InboundDelivery.reject(counters, topic, reason);
      ack.run();
      return;
    }
    int qos = publish.getQos() == MqttQos.AT_MOST_ONCE ? 0 : 1;
    delivery.offer(
        new InboundDelivery.Inbound(
            topic, target, publish.getPayloadAsBytes(), qos, ack, span(publish, topic, target)));
  }

  /**
   * The span of an inbound message while the node traces: a child of the W3C context in its {@code
   * traceparent} and {@code tracestate} user properties, or the first span of a new trace.
   */
  private Tracing.EdgeSpan span(Mqtt5Publish publish, String topic, Address target) {
    Tracing tracing = config.node().tracing();
    if (!tracing.enabled()) {
      return null;
    }
    String traceparent = null;
    String tracestate = null;
    for (Mqtt5UserProperty p : publish.getUserProperties().asList()) {
      String name = p.getName().toString();
      if (name.equals(TRACEPARENT)) {
        traceparent = p.getValue().toString();
      } else if (name.equals(TRACESTATE)) {
        tracestate = p.getValue().toString();
      }
    }
    return tracing.openSpan(
        "mqtt " + topic,
        Span.Kind.CONSUMER,
        TraceContext.parse(traceparent, tracestate),
        Map.of("messaging.destination.name", topic, "mayfly.actor", target.toString()));
  }

  // --- outbound (actor worker thread) ---

  private void forward(OutboundRoute route, String topic, byte[] payload, TraceContext trace) {
    String brokerTopic = route.brokerTopic(topic);
    if (brokerTopic == null || closed) {
      return;
    }
    if (outboundInFlight.incrementAndGet() > config.maxInFlight()) {
      outboundInFlight.decrementAndGet();
      publishFailed(brokerTopic, "more than " + config.maxInFlight() + " publications in flight");
      return;
    }
    long waiting = outboundBytes.addAndGet(payload.length);
    if (waiting > MAX_OUTBOUND_BYTES && waiting != payload.length) {
      outboundBytes.addAndGet(-payload.length);
      outboundInFlight.decrementAndGet();
      publishFailed(
          brokerTopic, "more than " + MAX_OUTBOUND_BYTES + " bytes of publications in flight");
      return;
    }
    Mqtt5Publish message;
    try {
      message =
          Mqtt5Publish.builder()
              .topic(brokerTopic)
              .qos(route.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
              .retain(false)
              .payload(payload)
              .userProperties(traceProperties(trace))
              .build();
    } catch (IllegalArgumentException e) {
      outboundInFlight.decrementAndGet();
      outboundBytes.addAndGet(-payload.length);
      publishFailed(brokerTopic, "not a valid MQTT topic: " + e.getMessage());
      return;
    }
    client
        .publish(message)
        .whenComplete(
            (result, failure) -> {
              outboundInFlight.decrementAndGet();
              outboundBytes.addAndGet(-payload.length);
              String error = publishError(result, failure);
              if (error == null) {
                published.increment();
              } else {
                publishFailed(brokerTopic, error);
              }
            });
  }

  /** The publishing turn's span as W3C user properties; none outside a trace. */
  private static Mqtt5UserProperties traceProperties(TraceContext trace) {
    if (trace == null) {
      return Mqtt5UserProperties.of();
    }
    return trace.traceState() == null
        ? Mqtt5UserProperties.of(Mqtt5UserProperty.of(TRACEPARENT, trace.traceparent()))
        : Mqtt5UserProperties.of(
            Mqtt5UserProperty.of(TRACEPARENT, trace.traceparent()),
            Mqtt5UserProperty.of(TRACESTATE, trace.traceState()));
  }

  private static String publishError(Mqtt5PublishResult result, Throwable failure) {
    if (failure != null) {
      return failure.toString();
    }
    if (result.getError().isPresent()) {
      return result.getError().get().toString();
    }
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode().isError()) {
      return "broker answered " + qos1.getPubAck().getReasonCode();
    }
    return null;
  }

  private void publishFailed(String brokerTopic, String reason) {
    publishFailures.increment();
    long n = publishFailures.sum();
    if (n <= 10 || n % 1000 == 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "MQTT publication to '" + brokerTopic + "' failed (" + n + " so far): " + reason);
    }
  }
}
