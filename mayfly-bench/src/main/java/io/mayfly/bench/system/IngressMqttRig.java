package io.mayfly.bench.system;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mayfly.mqtt.MqttBridge;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.testing.Mosquitto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The MQTT half of the ingress workload's setup: a real mosquitto on a free loopback port, a node
 * with {@value #SENSORS} sensor actors ({@code sensor.wasm}), and a Java publisher (HiveMQ client)
 * sending 64-byte readings round-robin on {@code sensors/<id>/reading}. A run sends the readings
 * either through Mayfly's MQTT bridge into the actors (arrival = the end of the actor's turn, seen
 * by the node's turn listener) or to a plain HiveMQ subscriber on the same filter (arrival = the
 * client's callback): the same broker, publisher and stream, with and without Mayfly.
 */
final class IngressMqttRig implements AutoCloseable {
  /** How many sensor actors the readings are spread over. */
  static final int SENSORS = 1000;

  /** The size of a reading: the value (f64) in bytes 0..7, the timestamp in 8..15, padding. */
  static final int READING_BYTES = 64;

  /** The broker topics the readings go to, and the route the bridge subscribes to. */
  static final String FILTER = "sensors/+/reading";

  /** The actor type the sensor module is deployed as. */
  static final String TYPE = "sensor";

  /** How many publications may wait for the client (QoS 1: for the broker's PUBACK). */
  private static final int PUBLISH_WINDOW = 1000;

  /** A run whose arrivals stop for this long is over: the broker dropped the rest (QoS 0). */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * One run: what was published, what arrived, and the latencies from publication to arrival.
   *
   * @param seconds from the first publication to the last arrival
   */
  record Run(long published, long arrived, double seconds, Histogram latencies) {
    /** Arrivals per second. */
    double rate() {
      return arrived / seconds;
    }

    /** The share of the published readings that arrived. */
    double delivered() {
      return (double) arrived / published;
    }
  }

  private final Path dir;
  private final Mosquitto broker;
  private final Mayfly node;
  private final Mqtt5AsyncClient publisher;
  private final MqttTopic[] topics = new MqttTopic[SENSORS];
  private volatile IngressSink sink;
  private int clients;

  private IngressMqttRig(Path dir, Mosquitto broker, byte[] sensorModule) {
    this.dir = dir;
    this.broker = broker;
    this.node = Mayfly.builder().turnListener(this::onTurn).build();
    for (int i = 0; i < SENSORS; i++) {
      topics[i] = MqttTopic.of("sensors/s" + i + "/reading");
    }
    this.publisher = client("ingress-publisher");
    try {
      node.deploy(TYPE, sensorModule);
      publisher.connect().join();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /**
   * Starts the broker (its configuration and log in {@code dir}), the node and the publisher.
   *
   * @throws IllegalStateException naming the Debian packages when mosquitto is not installed
   */
  static IngressMqttRig start(Path dir, byte[] sensorModule) throws IOException {
    Files.createDirectories(dir);
    Mosquitto broker = Mosquitto.start(dir);
    try {
      return new IngressMqttRig(dir, broker, sensorModule);
    } catch (RuntimeException e) {
      stop(broker);
      throw e;
    }
  }

  /** The node the bridge delivers to (for checking the actors' state in tests). */
  Mayfly node() {
    return node;
  }

  /**
   * Publishes {@code messages} readings at {@code qos} through Mayfly's MQTT bridge (route {@value
   * #FILTER} to {@code sensor/{1}}) and waits until the actors have handled them.
   *
   * @param perSecond the publication rate, or 0 for as fast as the broker takes them
   */
  Run throughMayfly(int qos, int messages, double perSecond) {
    try (MqttBridge bridge =
        MqttBridge.builder()
            .node(node)
            .broker("127.0.0.1", broker.port())
            .clientId("ingress-bridge-" + ++clients)
            .route(FILTER, TYPE + "/{1}", qos)
            .sessionExpiry(Duration.ZERO)
            .build()) {
      bridge.start().toCompletableFuture().join();
      return measure(qos, messages, perSecond);
    }
  }

  /**
   * Publishes {@code messages} readings at {@code qos} to a plain HiveMQ subscriber on {@value
   * #FILTER}, without Mayfly, and waits until it has received them.
   *
   * @param perSecond the publication rate, or 0 for as fast as the broker takes them
   */
  Run throughSubscriber(int qos, int messages, double perSecond) {
    Mqtt5AsyncClient subscriber = client("ingress-subscriber-" + ++clients);
    subscriber.connect().join();
    try {
      subscriber
          .subscribeWith()
          .topicFilter(FILTER)
          .qos(qos(qos))
          .callback(p -> deliver(p.getPayloadAsBytes()))
          .send()
          .join();
      return measure(qos, messages, perSecond);
    } finally {
      subscriber.disconnect().join();
    }
  }

  private void onTurn(TurnRecord turn) {
    if (turn.committed() && turn.message().kind() == MessageKind.TELL) {
      deliver(turn.message().payload());
    }
  }

  private void deliver(byte[] reading) {
    IngressSink s = sink;
    if (s != null && reading.length == READING_BYTES) {
      s.arrived(reading);
    }
  }

  private Run measure(int qos, int messages, double perSecond) {
    var s = new IngressSink();
    sink = s;
    try {
      long failedBefore = node.stats().failedTurns();
      long start = System.nanoTime();
      publish(qos, messages, perSecond, start);
      awaitArrivals(s, messages);
      NodeStats stats = node.stats();
      if (stats.failedTurns() > failedBefore) {
        throw new IllegalStateException("sensor turns failed during the run: " + stats);
      }
      if (s.count() == 0) {
        throw new IllegalStateException(
            "none of " + messages + " readings arrived at QoS " + qos + "; broker: " + brokerLog());
      }
      double seconds = Math.max(1, s.lastNanos() - start) / 1e9;
      return new Run(messages, s.count(), seconds, s.latencies());
    } finally {
      sink = null;
    }
  }

  /** Publishes round-robin over the sensors, at most {@value #PUBLISH_WINDOW} unconfirmed. */
  private void publish(int qos, int messages, double perSecond, long start) {
    MqttQos level = qos(qos);
    var window = new Semaphore(PUBLISH_WINDOW);
    for (int i = 0; i < messages; i++) {
      if (perSecond > 0) {
        pace(start + (long) (i * 1e9 / perSecond));
      }
      window.acquireUninterruptibly();
      ByteBuffer reading = ByteBuffer.allocate(READING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      reading.putDouble(0, 20 + (i % 7) * 0.25);
      reading.putLong(IngressSink.TIMESTAMP_OFFSET, System.nanoTime());
      publisher
          .publish(
              Mqtt5Publish.builder()
                  .topic(topics[i % SENSORS])
                  .qos(level)
                  .payload(reading.array())
                  .build())
          .whenComplete((result, failure) -> window.release());
    }
    window.acquireUninterruptibly(PUBLISH_WINDOW); // every publication confirmed
  }

  private static void pace(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  /** Waits until every reading arrived, or until arrivals stop (QoS 0 readings the broker lost). */
  private static void awaitArrivals(IngressSink s, int messages) {
    long seen = -1;
    long since = System.nanoTime();
    while (s.count() < messages) {
      long now = System.nanoTime();
      if (s.count() != seen) {
        seen = s.count();
        since = now;
      } else if (now - since > STALL_NANOS) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private Mqtt5AsyncClient client(String id) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(broker.port())
        .buildAsync();
  }

  private static MqttQos qos(int qos) {
    return switch (qos) {
      case 0 -> MqttQos.AT_MOST_ONCE;
      case 1 -> MqttQos.AT_LEAST_ONCE;
      default -> throw new IllegalArgumentException("QoS must be 0 or 1, was " + qos);
    };
  }

  /** The broker's log, for error messages. */
  private String brokerLog() {
    return broker.log() + " (in " + dir + ")";
  }

  @Override
  public void close() {
    try {
      publisher.disconnect().join();
    } finally {
      try {
        node.close();
      } finally {
        stop(broker);
      }
    }
  }

  private static void stop(Mosquitto broker) {
    try {
      broker.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
