package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Mosquitto;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge across a broker that goes away: with its sessions kept on disk, and without. */
class BrokerRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Mosquitto broker;
  private Mayfly node;
  private MqttBridge bridge;
  private Mqtt5AsyncClient publisher;

  @BeforeEach
  void startNode() {
    node = Mayfly.builder().workers(2).build();
    node.deploy("probe", Guests.PROBE);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (publisher != null) {
      publisher.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    if (bridge != null) {
      bridge.close();
    }
    node.close();
    if (broker != null) {
      broker.stop();
    }
  }

  private MqttBridge startBridge(MqttBridge.Builder b) throws Exception {
    bridge = b.build();
    bridge.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return bridge;
  }

  private Set<String> keys(String address) {
    return node.state(Address.parse(address))
        .map(ActorSnapshot::entries)
        .map(e -> Set.copyOf(e.keySet()))
        .orElse(Set.of());
  }

  @Test
  void aPersistentBrokerKilledMidStreamLosesNoAcknowledgedQos1Message() throws Exception {
    broker = Mosquitto.startPersistent(dir);
    startBridge(
        MqttBridge.builder()
            .node(node)
            .broker("127.0.0.1", broker.port())
            .clientId("bridge-persistent")
            .route("sensors/+/log", "probe/{1}"));
    publisher =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("publisher-persistent")
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .automaticReconnect()
            .initialDelay(50, TimeUnit.MILLISECONDS)
            .maxDelay(500, TimeUnit.MILLISECONDS)
            .applyAutomaticReconnect()
            .buildAsync();
    publisher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().join();

    int messages = 3000;
    Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    Thread stream =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < messages; i++) {
                    int n = i;
                    try {
                      // QoS 1: the future completes with the broker's PUBACK (after reconnecting
                      // if the broker was away meanwhile).
                      publisher
                          .publishWith()
                          .topic("sensors/p/log")
                          .qos(MqttQos.AT_LEAST_ONCE)
                          .payload(("put:m" + n + "=1").getBytes(UTF_8))
                          .send()
                          .get(60, TimeUnit.SECONDS);
                      acknowledged.add(n);
                    } catch (Exception notAcknowledged) {
                      // counted as not acknowledged: no promise about it
                    }
                  }
                });

    await().atMost(WAIT).until(() -> acknowledged.size() >= messages / 3);
    broker.kill(); // kill -9, mid-stream
    broker.start(); // same port, same persistence file
    stream.join(TimeUnit.SECONDS.toMillis(120));

    assertThat(acknowledged).as("acknowledged to the publisher").isNotEmpty();
    Set<String> expected =
        acknowledged.stream().map(n -> "m" + n).collect(java.util.stream.Collectors.toSet());
    await().atMost(WAIT).untilAsserted(() -> assertThat(keys("probe/p")).containsAll(expected));
    assertThat(bridge.stats().reconnects()).isGreaterThanOrEqualTo(1);
    System.out.printf(
        "persistent broker killed mid-stream: %d of %d acknowledged, all %d reached the actor;"
            + " bridge %s%n",
        acknowledged.size(), messages, expected.size(), bridge.stats());
  }

  @Test
  void aBrokerThatForgotTheSessionIsNoticedLoggedCountedAndResubscribedAtOnce() throws Exception {
    broker = Mosquitto.start(dir);
    var registry = new SimpleMeterRegistry();
    startBridge(
        MqttBridge.builder()
            .node(node)
            .broker("127.0.0.1", broker.port())
            .clientId("bridge-forgotten")
            .meterRegistry(registry)
            .route("sensors/+/log", "probe/{1}"));
    var records = new CopyOnWriteArrayList<LogRecord>();
    Logger logger = Logger.getLogger(HiveMqBridge.class.getName());
    // Sees every record the bridge logs (a filter on its logger, which lets them all through).
    logger.setFilter(records::add);
    try {
      broker.stop(); // without persistence: the restarted broker knows no session
      await().atMost(WAIT).until(() -> !bridge.connected());
      broker.start();
      await().atMost(WAIT).until(bridge::connected);

      assertThat(bridge.stats().reconnects()).isEqualTo(1);
      assertThat(bridge.stats().sessionsLost()).isEqualTo(1);
      assertThat(registry.get("mayfly.mqtt.sessions.lost").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("mayfly.mqtt.reconnects").functionCounter().count()).isEqualTo(1);
      assertThat(records)
          .filteredOn(r -> r.getMessage().contains("reconnected"))
          .singleElement()
          .satisfies(r -> assertThat(r.getMessage()).contains("forgotten the session"));

      // Subscribed again: what is published from now on arrives.
      broker.pub("sensors/f/log", "app:log=after", 1);
      await()
          .atMost(WAIT)
          .until(() -> Guests.peek(node, "probe/f", "log").equals(Optional.of("after ")));
    } finally {
      logger.setFilter(null);
    }
  }
}
