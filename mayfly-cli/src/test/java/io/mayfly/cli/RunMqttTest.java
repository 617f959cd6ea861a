package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly run --mqtt ...} against a real mosquitto, driven by mosquitto_pub/_sub. */
class RunMqttTest {
  private final InProcessRun node = new InProcessRun();
  private Mosquitto broker;

  @AfterEach
  void stopBroker() throws InterruptedException {
    node.stop();
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void brokerMessagesReachActorsAndActorPublicationsReachTheBroker(@TempDir Path dir)
      throws Exception {
    broker = Mosquitto.start(dir);
    String mqtt = "127.0.0.1:" + broker.port();
    CompletableFuture<Integer> running =
        node.start(
            Map.of("MAYFLY_MQTT_PUBLISH", "out/#=mayfly/out/{1};qos=0"),
            "run",
            "--http",
            "127.0.0.1:0",
            "--admin-token",
            "adm",
            "--client-token",
            "cli",
            "--mqtt",
            mqtt,
            "--mqtt-client-id",
            "mayfly-run-test",
            "--mqtt-route",
            "sensors/+/cmd=probe/{1}",
            "--mqtt-route",
            "other/+=probe/{1};qos=0");
    String url = node.awaitUrl(running);
    assertThat(node.out()).contains("bridging to " + mqtt + " as client mayfly-run-test");
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy", "probe", ClientVerbsTest.PROBE.toString(), "--url", url, "--token", "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();

    Mosquitto.Sub sub = broker.sub("mayfly/out/#");
    try {
      // The bridge connects in the background: publish until the actor has seen a message.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                broker.pub("sensors/s1/cmd", "app:log=x;pub:out/a=hello", 1);
                var state =
                    ClientVerbsTest.mayfly("state", "probe/s1", "--url", url, "--token", "adm");
                assertThat(state.exitCode()).as(state.err()).isZero();
                assertThat(state.out()).contains("\"utf8\" : \"x ");
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(sub.lines()).contains("mayfly/out/a hello"));
    } finally {
      sub.close();
    }

    node.stop();
    assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aBadRouteIsAUsageErrorNamingTheSetting() {
    assertThat(runWithBroker(Map.of(), "sensors/+/temperature")).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err())
        .contains("mqtt-route entries must be FILTER=TEMPLATE")
        .contains("option --mqtt-route");
  }

  @Test
  void aBadReconnectDelayIsAUsageErrorNamingTheSetting() {
    assertThat(runWithBroker(Map.of("MAYFLY_MQTT_RECONNECT_MAX_DELAY", "soon"), "a/+=probe/{1}"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(node.err())
        .contains("mqtt-reconnect-max-delay")
        .contains("MAYFLY_MQTT_RECONNECT_MAX_DELAY");
  }

  @Test
  void aBadSharedGroupIsAUsageErrorNamingTheSetting() {
    assertThat(runWithBroker(Map.of("MAYFLY_MQTT_SHARED_GROUP", "plant/1"), "a/+=probe/{1}"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(node.err())
        .contains("mqtt-shared-group must be a share name (not empty, no '/', '+' or '#')")
        .contains("'plant/1'")
        .contains("MAYFLY_MQTT_SHARED_GROUP");
  }

  @Test
  void aSharedGroupWithoutABrokerIsAUsageError() {
    CompletableFuture<Integer> running =
        node.start(Map.of(), "run", "--http", "127.0.0.1:0", "--mqtt-shared-group", "plant");
    assertThat(running.join()).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("mqtt-shared-group need mqtt");
  }

  /** Runs {@code mayfly run} bridging to a broker address with one route; its exit code. */
  private int runWithBroker(Map<String, String> env, String route) {
    return node.start(
            env, "run", "--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:1883", "--mqtt-route", route)
        .join();
  }

  @Test
  void aBadBrokerAddressFromTheEnvironmentIsAUsageError() {
    CompletableFuture<Integer> running =
        node.start(
            Map.of("MAYFLY_MQTT", "nohost", "MAYFLY_MQTT_ROUTES", "a/+=probe/{1},b/+=probe/{1}"),
            "run",
            "--http",
            "127.0.0.1:0");
    assertThat(running.join()).isEqualTo(ExitCodes.USAGE);
    assertThat(node.err()).contains("mqtt must be HOST:PORT").contains("MAYFLY_MQTT");
  }

  @Test
  void numberedRoutesInAFileAreReadInOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    java.nio.file.Files.writeString(
        file,
        "mqtt=127.0.0.1:1883\nmqtt-route.2=b/+=probe/{1};qos=0\nmqtt-route.1=a/+=probe/{1}\n");
    NodeSettings s = NodeSettings.resolve(Map.of(), Map.of(), file);
    assertThat(s.topicMappings("mqtt-route"))
        .containsExactly(
            new NodeSettings.TopicMapping("a/+", "probe/{1}", 1),
            new NodeSettings.TopicMapping("b/+", "probe/{1}", 0));
  }
}
