package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each with its own bridge to one mosquitto: with a shared group the broker hands each
 * message to one of them; without, both handle every message.
 */
class SharedSubscriptionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** How long the handled messages must stay as they are before the counts are checked. */
  private static final Duration SETTLED = Duration.ofMillis(500);

  private static final int MESSAGES = 200;
  private static final int ACTORS = 10;

  @TempDir Path dir;
  private Mosquitto broker;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Mayfly nodeA;
  private Mayfly nodeB;

  @BeforeEach
  void startBrokerAndNodes() throws Exception {
    broker = Mosquitto.start(dir);
    nodeA = node();
    nodeB = node();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    broker.stop();
  }

  private Mayfly node() {
    Mayfly node = Mayfly.builder().workers(1).build();
    closeables.add(node);
    node.deploy("probe", Guests.PROBE);
    return node;
  }

  private MqttBridge started(Mayfly node, String clientId, String group) throws Exception {
    MqttBridge bridge =
        MqttBridge.builder()
            .node(node)
            .broker("127.0.0.1", broker.port())
            .clientId(clientId)
            .sharedGroup(group)
            .route("sensors/+/log", "probe/{1}")
            .build();
    closeables.add(bridge);
    bridge.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return bridge;
  }

  /** Publishes messages {@code from..to-1} at QoS 1, spread over the actors. */
  private void publish(int from, int to) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("publisher-" + from)
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    client.connect();
    try {
      for (int i = from; i < to; i++) {
        client
            .publishWith()
            .topic("sensors/s" + (i % ACTORS) + "/log")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(("app:log=" + i).getBytes(UTF_8))
            .send();
      }
    } finally {
      client.disconnect();
    }
  }

  /** The numbers of the messages the probe actors of a node handled, one entry per turn. */
  private static List<Integer> handled(Mayfly node) {
    var numbers = new ArrayList<Integer>();
    for (int a = 0; a < ACTORS; a++) {
      Guests.peek(node, "probe/s" + a, "log")
          .ifPresent(
              log -> {
                for (String n : log.trim().split(" ")) {
                  numbers.add(Integer.valueOf(n));
                }
              });
    }
    return numbers;
  }

  private List<Integer> handledByBoth() {
    var all = new ArrayList<>(handled(nodeA));
    all.addAll(handled(nodeB));
    return all;
  }

  private static List<Integer> range(int from, int to) {
    var numbers = new ArrayList<Integer>();
    for (int i = from; i < to; i++) {
      numbers.add(i);
    }
    return numbers;
  }

  @Test
  void withASharedGroupEachMessageIsHandledOnceAcrossTheBridges() throws Exception {
    MqttBridge a = started(nodeA, "member-a", "plant");
    MqttBridge b = started(nodeB, "member-b", "plant");

    publish(0, MESSAGES);

    await().during(SETTLED).atMost(WAIT).until(() -> handledByBoth().size() == MESSAGES);
    assertThat(handledByBoth()).containsExactlyInAnyOrderElementsOf(range(0, MESSAGES));
    assertThat(a.stats().delivered() + b.stats().delivered()).isEqualTo(MESSAGES);
    // mosquitto hands a group's messages to its subscribers in turn.
    assertThat(handled(nodeA)).isNotEmpty();
    assertThat(handled(nodeB)).isNotEmpty();
    assertThat(a.stats().rejected() + b.stats().rejected()).isZero();
  }

  @Test
  void withoutAGroupEachBridgeHandlesEveryMessage() throws Exception {
    MqttBridge a = started(nodeA, "member-a", null);
    MqttBridge b = started(nodeB, "member-b", null);

    publish(0, MESSAGES);

    await().during(SETTLED).atMost(WAIT).until(() -> handledByBoth().size() == 2 * MESSAGES);
    assertThat(handled(nodeA)).containsExactlyInAnyOrderElementsOf(range(0, MESSAGES));
    assertThat(handled(nodeB)).containsExactlyInAnyOrderElementsOf(range(0, MESSAGES));
    assertThat(a.stats().delivered()).isEqualTo(MESSAGES);
    assertThat(b.stats().delivered()).isEqualTo(MESSAGES);
  }

  @Test
  void aBridgeThatClosesLeavesTheGroupSoTheOthersGetEveryMessage() throws Exception {
    MqttBridge a = started(nodeA, "member-a", "plant");
    started(nodeB, "member-b", "plant");
    publish(0, MESSAGES);
    await().atMost(WAIT).until(() -> handledByBoth().size() == MESSAGES);

    // Its session outlives the connection (one hour): left in the group, it would go on being
    // handed every other message, queued for a client that is gone.
    a.close();
    int handledByA = handled(nodeA).size();
    publish(MESSAGES, 2 * MESSAGES);

    await().during(SETTLED).atMost(WAIT).until(() -> handledByBoth().size() == 2 * MESSAGES);
    assertThat(handledByBoth()).containsExactlyInAnyOrderElementsOf(range(0, 2 * MESSAGES));
    assertThat(handled(nodeA)).hasSize(handledByA);
  }
}
