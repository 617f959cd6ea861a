package io.mayfly.mqtt;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Mosquitto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures MQTT messages per second from mosquitto into 1000 sensor actors, publishing with a Java
 * client at QoS 0 and QoS 1. Not part of the normal build (tag {@code manual}); run it with
 *
 * <pre>
 * ./mvnw -pl mayfly-mqtt test -Dmqtt.excludedGroups= -Dgroups=manual
 * </pre>
 *
 * It prints the median of three runs after a warm-up and writes them to target/mqtt-throughput.txt.
 * A benchmark, not a test: it asserts nothing about speed.
 */
@Tag("manual")
class MqttThroughputTest {
  private static final int SENSORS = 1000;

  @TempDir Path dir;

  @Test
  void messagesPerSecondIntoSensorActors() throws Exception {
    Mosquitto broker = Mosquitto.start(dir);
    var report = new ArrayList<String>();
    try (Mayfly node = Mayfly.builder().build()) {
      node.deploy("sensor", Guests.SENSOR);
      for (int qos : qosLevels()) {
        int messages = qos == 0 ? 200_000 : 100_000;
        try (MqttBridge bridge =
            MqttBridge.builder()
                .node(node)
                .broker("127.0.0.1", broker.port())
                .clientId("bench-q" + qos)
                .route("sensors/+/temperature", "sensor/{1}", qos)
                .maxInFlight(Integer.getInteger("bench.inflight", 1024))
                .build()) {
          bridge.start().toCompletableFuture().join();
          Mqtt5AsyncClient publisher =
              MqttClient.builder()
                  .useMqttVersion5()
                  .identifier("bench-pub-q" + qos)
                  .serverHost("127.0.0.1")
                  .serverPort(broker.port())
                  .buildAsync();
          publisher.connect().join();
          run(node, bridge, publisher, qos, messages / 4); // warm-up
          var rates = new ArrayList<Double>();
          for (int i = 0; i < 3; i++) {
            rates.add(run(node, bridge, publisher, qos, messages));
          }
          publisher.disconnect().join();
          List<Double> sorted = rates.stream().sorted().toList();
          report.add(
              String.format(
                  Locale.ROOT,
                  "QoS %d: %,d messages to %d sensor actors, %d cores: median %,.0f msg/s (runs %s)",
                  qos,
                  messages,
                  SENSORS,
                  Runtime.getRuntime().availableProcessors(),
                  sorted.get(1),
                  rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()));
        }
      }
    } finally {
      broker.stop();
    }
    report.forEach(System.out::println);
    Files.write(Path.of("target", "mqtt-throughput.txt"), report);
  }

  private static int[] qosLevels() {
    String only = System.getProperty("bench.qos");
    return only == null ? new int[] {0, 1} : new int[] {Integer.parseInt(only)};
  }

  /** Publishes {@code messages} readings round-robin and returns handled turns per second. */
  private static double run(
      Mayfly node, MqttBridge bridge, Mqtt5AsyncClient publisher, int qos, int messages) {
    long turnsBefore = node.stats().turns();
    MqttBridgeStats before = bridge.stats();
    MqttQos mqttQos = qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    long start = System.nanoTime();
    var sent = new ArrayList<CompletableFuture<?>>(messages);
    for (int i = 0; i < messages; i++) {
      byte[] reading =
          ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putDouble(20 + (i % 7)).array();
      sent.add(
          publisher.publish(
              Mqtt5Publish.builder()
                  .topic("sensors/s" + (i % SENSORS) + "/temperature")
                  .qos(mqttQos)
                  .payload(reading)
                  .build()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    // Wait until every message was handled by its actor, or until nothing moves for 3 s (QoS 0
    // messages a broker drops under load never arrive).
    long[] last = {-1, System.nanoTime()};
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              long turns = node.stats().turns() - turnsBefore;
              if (turns >= messages) {
                return true;
              }
              if (turns != last[0]) {
                last[0] = turns;
                last[1] = System.nanoTime();
              }
              return System.nanoTime() - last[1] > 3_000_000_000L;
            });
    long handled = node.stats().turns() - turnsBefore;
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "QoS %d run: %,d published, %,d received, %,d delivered, %,d dropped, %,d handled in %.2f s%n",
        qos,
        messages,
        bridge.stats().received() - before.received(),
        bridge.stats().delivered() - before.delivered(),
        bridge.stats().dropped() - before.dropped(),
        handled,
        seconds);
    return handled / seconds;
  }
}
