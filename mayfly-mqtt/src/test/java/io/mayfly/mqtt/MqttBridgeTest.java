package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.testing.Mosquitto;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge against a real mosquitto broker, driven by mosquitto_pub/_sub and a Java client. */
class MqttBridgeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Mosquitto broker;
  private Mayfly node;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startBrokerAndNode() throws Exception {
    broker = Mosquitto.start(dir);
    node = Mayfly.builder().workers(2).build();
    node.deploy("probe", Guests.PROBE);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    node.close();
    broker.stop();
  }

  private MqttBridge.Builder bridge(String clientId) {
    return MqttBridge.builder()
        .node(node)
        .broker("127.0.0.1", broker.port())
        .clientId(clientId)
        .reconnect(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private MqttBridge started(MqttBridge.Builder builder) throws Exception {
    MqttBridge bridge = builder.build();
    closeables.add(bridge);
    bridge
        .start()
        .toCompletableFuture()
        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(bridge.connected()).isTrue();
    return bridge;
  }

  private Mqtt5BlockingClient javaClient() {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("test-publisher")
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    client.connect();
    closeables.add(client::disconnect);
    return client;
  }

  private static void publish(Mqtt5BlockingClient client, String topic, String payload, int qos) {
    client
        .publishWith()
        .topic(topic)
        .qos(qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(UTF_8))
        .send();
  }

  private Optional<String> log(String address) {
    return Guests.peek(node, address, "log");
  }

  @Test
  void mosquittoPubMessagesReachActorsAtQos0AndQos1() throws Exception {
    MqttBridge bridge = started(bridge("inbound").route("sensors/+/log", "probe/{1}"));

    broker.pub("sensors/s1/log", "app:log=one", 1);
    broker.pub("sensors/s2/log", "app:log=two", 0);

    await().atMost(WAIT).until(() -> log("probe/s1").equals(Optional.of("one ")));
    await().atMost(WAIT).until(() -> log("probe/s2").equals(Optional.of("two ")));
    assertThat(bridge.stats().received()).isEqualTo(2);
    assertThat(bridge.stats().delivered()).isEqualTo(2);
    assertThat(bridge.stats().rejected()).isZero();
  }

  @Test
  void javaClientMessagesReachManyActorsInOrder() throws Exception {
    MqttBridge bridge =
        started(
            bridge("inbound-java")
                .route("q0/+/log", "probe/{1}", 0)
                .route("q1/+/log", "probe/{1}", 1));
    Mqtt5BlockingClient client = javaClient();

    for (int i = 0; i < 20; i++) {
      publish(client, "q1/a" + i + "/log", "app:log=x", 1);
      publish(client, "q1/a" + i + "/log", "app:log=y", 1);
      publish(client, "q0/b" + i + "/log", "app:log=z", 0);
    }

    await().atMost(WAIT).until(() -> bridge.stats().delivered() == 60);
    for (int i = 0; i < 20; i++) {
      assertThat(log("probe/a" + i)).contains("x y ");
      String b = "probe/b" + i;
      await().atMost(WAIT).until(() -> log(b).equals(Optional.of("z ")));
    }
  }

  @Test
  void actorPublicationsReachMosquittoSub() throws Exception {
    MqttBridge bridge =
        started(
            bridge("outbound")
                .publish("alerts/#", "mayfly/alerts/{1}")
                .publish("raw/+", "raw-out/{1}", 0));
    Mosquitto.Sub sub = broker.sub("#");
    closeables.add(sub::close);

    node.tell(Address.parse("probe/p1"), "pub:alerts/site-7=hot".getBytes(UTF_8));
    node.publish("alerts/site-8/door", "open".getBytes(UTF_8));
    node.publish("raw/r1", "zero".getBytes(UTF_8));
    node.publish("elsewhere/x", "not bridged".getBytes(UTF_8));

    await()
        .atMost(WAIT)
        .until(
            () ->
                sub.lines()
                    .containsAll(
                        List.of(
                            "mayfly/alerts/site-7 hot",
                            "mayfly/alerts/site-8/door open",
                            "raw-out/r1 zero")));
    await().atMost(WAIT).until(() -> bridge.stats().published() == 3);
    assertThat(sub.lines()).noneMatch(l -> l.contains("not bridged"));
  }

  /** Busies probe "slow/a" in a spinning turn and fills its one-message mailbox. */
  private void fillMailboxOfSlowActor() {
    node.deploy(
        "slow",
        Guests.PROBE,
        TypeConfig.builder().mailboxCapacity(1).turnTimeout(Duration.ofSeconds(3)).build());
    Address slow = Address.parse("slow/a");
    node.tell(slow, "loop".getBytes(UTF_8));
    // Accepted once the spinning turn has taken the first message out of the mailbox.
    await()
        .atMost(WAIT)
        .ignoreException(MailboxFullException.class)
        .until(
            () -> {
              node.tell(slow, "app:log=filler".getBytes(UTF_8));
              return true;
            });
  }

  @Test
  void qos1MessageWaitsForAFullMailboxThenIsDeliveredInOrder() throws Exception {
    MqttBridge bridge =
        started(
            bridge("full-mailbox")
                .route("slow/+/log", "slow/{1}", 1)
                .mailboxRetry(Duration.ofMillis(5), Duration.ofMillis(50)));
    fillMailboxOfSlowActor();

    publish(javaClient(), "slow/a/log", "app:log=mqtt", 1);

    await().atMost(WAIT).until(() -> bridge.stats().retries() >= 2);
    assertThat(bridge.stats().delivered()).isZero();
    // The spinning turn ends at its 3 s deadline; then the filler runs, then the MQTT message.
    await().atMost(WAIT).until(() -> bridge.stats().delivered() == 1);
    await().atMost(WAIT).until(() -> log("slow/a").equals(Optional.of("filler mqtt ")));
    assertThat(bridge.stats().rejected()).isZero();
  }

  @Test
  void aConfirmingBridgeAcknowledgesAQos1MessageOnlyOnceItsTurnIsConfirmed() throws Exception {
    MqttBridge bridge =
        started(bridge("confirming").route("slow/+/log", "slow/{1}", 1).confirm(true));
    node.deploy(
        "slow", Guests.PROBE, TypeConfig.builder().turnTimeout(Duration.ofSeconds(3)).build());
    node.tell(Address.parse("slow/a"), "loop".getBytes(UTF_8)); // busy until its deadline

    publish(javaClient(), "slow/a/log", "app:log=mqtt", 1);

    // In the mailbox, waiting for its confirmation: not acknowledged (nor counted) yet.
    await().atMost(WAIT).until(() -> node.stats().pendingAsks() == 1);
    assertThat(bridge.stats().delivered()).isZero();
    await().atMost(WAIT).until(() -> bridge.stats().delivered() == 1);
    assertThat(log("slow/a")).contains("mqtt ");
    assertThat(node.stats().pendingAsks()).isZero();
  }

  @Test
  void aConfirmedMessageWhoseTurnFailsIsAcknowledgedAndCountedRejected() throws Exception {
    MqttBridge bridge =
        started(bridge("confirming-trap").route("sensors/+/log", "probe/{1}", 1).confirm(true));
    Mqtt5BlockingClient client = javaClient();

    publish(client, "sensors/s1/log", "app:log=lost;trap", 1);
    publish(client, "sensors/s1/log", "app:log=kept", 1);

    await().atMost(WAIT).until(() -> bridge.stats().delivered() == 1);
    await().atMost(WAIT).until(() -> bridge.stats().rejected() == 1);
    assertThat(log("probe/s1")).contains("kept ");
  }

  @Test
  void qos1MessageNotTakenByAFullMailboxIsNotAckedAndTheBrokerRedeliversIt() throws Exception {
    MqttBridge first =
        bridge("redeliver")
            .route("slow/+/log", "slow/{1}", 1)
            .mailboxRetry(Duration.ofMillis(5), Duration.ofMillis(50))
            .build();
    first
        .start()
        .toCompletableFuture()
        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    fillMailboxOfSlowActor();
    publish(javaClient(), "slow/a/log", "app:log=mqtt", 1);
    await().atMost(WAIT).until(() -> first.stats().retries() >= 1);

    // Closed while the message waits: the broker never got a PUBACK for it.
    first.close();
    assertThat(first.stats().delivered()).isZero();
    await().atMost(WAIT).until(() -> log("slow/a").equals(Optional.of("filler ")));

    // Same client id, persistent session: the broker delivers the message again.
    MqttBridge second = started(bridge("redeliver").route("slow/+/log", "slow/{1}", 1));
    await().atMost(WAIT).until(() -> second.stats().delivered() == 1);
    await().atMost(WAIT).until(() -> log("slow/a").equals(Optional.of("filler mqtt ")));
  }

  @Test
  void publicationsWaitingForAnAbsentBrokerAreBoundedInBytes() throws Exception {
    MqttBridge bridge = started(bridge("bytes").publish("big/#", "mayfly/big/{1}"));
    broker.stop();
    await().atMost(WAIT).until(() -> !bridge.connected());
    byte[] mib = new byte[1 << 20];
    for (int i = 0; i < 20; i++) {
      node.publish("big/" + i, mib); // the client holds these until the broker is back
    }
    // 16 MiB wait; the rest is refused and counted, not queued.
    assertThat(bridge.stats().publishFailures()).isEqualTo(4);
    broker.start();
    await().atMost(WAIT).until(() -> bridge.stats().published() == 16);
  }

  @Test
  void brokerRestartReconnectsAndBothDirectionsWorkAgain() throws Exception {
    MqttBridge bridge =
        started(
            bridge("restart")
                .route("sensors/+/log", "probe/{1}")
                .publish("alerts/#", "mayfly/alerts/{1}"));
    broker.pub("sensors/r1/log", "app:log=before", 1);
    await().atMost(WAIT).until(() -> log("probe/r1").equals(Optional.of("before ")));

    broker.stop();
    await().atMost(WAIT).until(() -> !bridge.connected());
    broker.start();
    await().atMost(WAIT).until(bridge::connected);
    assertThat(bridge.stats().reconnects()).isEqualTo(1);

    broker.pub("sensors/r1/log", "app:log=after", 1);
    await().atMost(WAIT).until(() -> log("probe/r1").equals(Optional.of("before after ")));
    Mosquitto.Sub sub = broker.sub("mayfly/#");
    closeables.add(sub::close);
    node.tell(Address.parse("probe/r1"), "pub:alerts/r1=back".getBytes(UTF_8));
    await().atMost(WAIT).until(() -> sub.lines().contains("mayfly/alerts/r1 back"));
  }

  @Test
  void metersFollowTheBridgesCountersAndConnection() throws Exception {
    var registry = new SimpleMeterRegistry();
    MqttBridge bridge =
        started(
            bridge("metered")
                .route("sensors/+/log", "probe/{1}")
                .route("bad/+", "nope/{1}")
                .publish("alerts/#", "mayfly/alerts/{1}")
                .meterRegistry(registry));
    assertThat(registry.get("mayfly.mqtt.connected").gauge().value()).isEqualTo(1.0);

    broker.pub("sensors/m1/log", "app:log=one", 1);
    broker.pub("bad/x", "no such type", 1);
    node.publish("alerts/a", "hot".getBytes(UTF_8));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(count(registry, "mayfly.mqtt.messages.received")).isEqualTo(2);
              assertThat(count(registry, "mayfly.mqtt.messages.delivered")).isEqualTo(1);
              assertThat(count(registry, "mayfly.mqtt.messages.rejected")).isEqualTo(1);
              assertThat(count(registry, "mayfly.mqtt.messages.published")).isEqualTo(1);
            });
    assertThat(count(registry, "mayfly.mqtt.publish.failures")).isZero();

    broker.stop();
    await().atMost(WAIT).until(() -> registry.get("mayfly.mqtt.connected").gauge().value() == 0);
    broker.start();
    await().atMost(WAIT).until(bridge::connected);
    assertThat(count(registry, "mayfly.mqtt.reconnects")).isEqualTo(1);
    assertThat(registry.get("mayfly.mqtt.connected").gauge().value()).isEqualTo(1.0);
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.get(name).functionCounter().count();
  }

  @Test
  void bridgeStartedBeforeTheBrokerConnectsWhenItComesUp() throws Exception {
    broker.stop();
    MqttBridge bridge = bridge("late").route("sensors/+/log", "probe/{1}").build();
    closeables.add(bridge);
    var ready = bridge.start().toCompletableFuture();
    assertThat(ready).isNotDone();

    broker.start();
    ready.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    broker.pub("sensors/l1/log", "app:log=late", 1);
    await().atMost(WAIT).until(() -> log("probe/l1").equals(Optional.of("late ")));
  }

  @Test
  void poisonMessagesAreRejectedAckedAndTheBridgeKeepsWorking() throws Exception {
    node.deploy("tiny", Guests.PROBE, TypeConfig.builder().maxMessageBytes(16).build());
    MqttBridge.Builder routes =
        bridge("poison")
            .route("unknown/+", "nosuchtype/{1}")
            .route("tiny/+", "tiny/{1}")
            .route("any/+/+", "{1}/{2}")
            .route("sensors/+/log", "probe/{1}");
    MqttBridge bridge = started(routes);

    broker.pub("unknown/x", "app:log=a", 1); // type not deployed
    broker.pub("tiny/x", "app:log=" + "y".repeat(64), 1); // larger than 16 bytes
    broker.pub("any/a b/c", "app:log=c", 1); // a space is not allowed in an actor type
    broker.pub("any/Probe/c", "app:log=d", 1); // upper case is not allowed in an actor type
    broker.pub("sensors/ok/log", "app:log=fine", 1);

    await().atMost(WAIT).until(() -> log("probe/ok").equals(Optional.of("fine ")));
    await().atMost(WAIT).until(() -> bridge.stats().rejected() == 4);
    assertThat(bridge.stats().delivered()).isEqualTo(1);
    assertThat(bridge.connected()).isTrue();

    // They were acknowledged: a new bridge on the same session gets only what comes next.
    bridge.close();
    MqttBridge again = started(routes);
    broker.pub("sensors/ok/log", "app:log=next", 1);
    await().atMost(WAIT).until(() -> log("probe/ok").equals(Optional.of("fine next ")));
    assertThat(again.stats().received()).isEqualTo(1);
    assertThat(again.stats().rejected()).isZero();
  }
}
