package io.mayfly.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttBridgeBuilderTest {
  private final Mayfly node = Mayfly.builder().workers(1).build();

  @AfterEach
  void close() {
    node.close();
  }

  private MqttBridge.Builder valid() {
    return MqttBridge.builder().node(node).clientId("t").route("a/+", "probe/{1}");
  }

  @Test
  void routeMapsWildcardSegmentsIntoTheAddress() {
    var route = new InboundRoute("sensors/+/temperature", "sensor/{1}", 1);
    assertThat(route.address("sensors/s-1/temperature")).isEqualTo(Address.of("sensor", "s-1"));
    assertThat(route.address("sensors/s-1/humidity")).isNull();
    var multi = new InboundRoute("site/+/dev/#", "{1}/{2}", 0);
    assertThat(multi.address("site/plant/dev/x")).isEqualTo(Address.of("plant", "x"));
  }

  @Test
  void routeRefusesTopicsThatMakeABadAddress() {
    var route = new InboundRoute("things/+", "probe/{1}", 1);
    assertThatThrownBy(() -> route.address("things/a b"))
        .isInstanceOf(InvalidAddressException.class);
  }

  @Test
  void publishMapsNodeTopicsToBrokerTopics() {
    var route = new OutboundRoute("alerts/#", "mayfly/alerts/{1}", 0);
    assertThat(route.brokerTopic("alerts/site-7/x")).isEqualTo("mayfly/alerts/site-7/x");
    assertThat(route.brokerTopic("other")).isNull();
  }

  @Test
  void buildRejectsMissingAndBadValuesNamingThem() {
    assertThatThrownBy(() -> MqttBridge.builder().clientId("t").route("a", "b/c").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("node");
    assertThatThrownBy(() -> MqttBridge.builder().node(node).route("a", "b/c").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("clientId");
    assertThatThrownBy(() -> MqttBridge.builder().node(node).clientId("t").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("at least one route or publish");
    assertThatThrownBy(() -> valid().broker("127.0.0.1", 0).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(
            () -> valid().reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reconnect maxDelay");
    assertThatThrownBy(() -> valid().maxInFlight(0).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("maxInFlight");
  }

  @Test
  void sharedGroupMustBeAShareName() {
    for (String bad : new String[] {"", "a/b", "a+", "#"}) {
      assertThatThrownBy(() -> MqttBridge.builder().sharedGroup(bad))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage(
              "sharedGroup must be non-empty and contain no '/', '+' or '#', was '" + bad + "'");
    }
    assertThatCode(() -> valid().sharedGroup("plant-1").build().close()).doesNotThrowAnyException();
  }

  @Test
  void sharedGroupPrefixesTheSubscriptionButNotTheRoute() {
    var route = new InboundRoute("sensors/+/log", "probe/{1}", 1);
    var plain = config(null, route);
    var shared = config("plant", route);
    assertThat(plain.subscriptionFilter(route)).isEqualTo("sensors/+/log");
    assertThat(shared.subscriptionFilter(route)).isEqualTo("$share/plant/sensors/+/log");
    assertThat(route.address("sensors/s1/log")).isEqualTo(Address.of("probe", "s1"));
  }

  @Test
  void confirmDefaultsToTheNodesPlacementAndCanBeSet() throws Exception {
    var embedded = (HiveMqBridge) valid().build();
    var confirming = (HiveMqBridge) valid().confirm(true).build();
    try {
      assertThat(embedded.config().confirm())
          .isFalse(); // an embedded node: acknowledged when queued
      assertThat(confirming.config().confirm()).isTrue();
    } finally {
      embedded.close();
      confirming.close();
    }
  }

  private BridgeConfig config(String group, InboundRoute route) {
    Duration d = Duration.ofSeconds(1);
    return new BridgeConfig(
        node,
        "h",
        1,
        "c",
        null,
        null,
        java.util.List.of(route),
        java.util.List.of(),
        d,
        d,
        d,
        d,
        d,
        1,
        group,
        false);
  }

  @Test
  void routesAreCheckedWhenAdded() {
    var b = MqttBridge.builder();
    assertThatThrownBy(() -> b.route("a/+", "probe/{1}", 2))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("qos must be 0 or 1, was 2");
    assertThatThrownBy(() -> b.route("a/+", "probe/{2}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("uses {2} but filter 'a/+' has 1 wildcard");
    assertThatThrownBy(() -> b.route("a/#/b", "probe/x"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'#' must be last");
    assertThatThrownBy(() -> b.route("a/+", "{1}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not type/id");
    assertThatThrownBy(() -> b.publish("alerts/#", "out/+"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("wildcard");
  }

  @Test
  void startingTwiceOrAfterCloseIsRefused() {
    MqttBridge bridge = valid().broker("127.0.0.1", 1).build();
    var ready = bridge.start().toCompletableFuture();
    assertThatThrownBy(bridge::start)
        .isInstanceOf(MqttBridgeException.class)
        .hasMessageContaining("already started");
    bridge.close();
    // The refused connection fails the start a moment later, on the client's thread.
    assertThat(ready).failsWithin(java.time.Duration.ofSeconds(10));
    assertThatThrownBy(bridge::start)
        .isInstanceOf(MqttBridgeException.class)
        .hasMessageContaining("closed");
  }
}
