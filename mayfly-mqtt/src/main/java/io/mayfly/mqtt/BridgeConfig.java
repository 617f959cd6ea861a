package io.mayfly.mqtt;

import io.mayfly.runtime.Mayfly;
import java.time.Duration;
import java.util.List;

/**
 * A checked bridge configuration, from {@link MqttBridge.Builder}.
 *
 * @param sharedGroup the MQTT 5 share name of the routes' subscriptions; {@code null} for plain
 *     ones
 * @param confirm whether a QoS 1 message is acknowledged only once its turn is confirmed
 */
record BridgeConfig(
    Mayfly node,
    String host,
    int port,
    String clientId,
    String username,
    byte[] password,
    List<InboundRoute> routes,
    List<OutboundRoute> publications,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay,
    Duration retryInitialDelay,
    Duration retryMaxDelay,
    Duration sessionExpiry,
    int maxInFlight,
    String sharedGroup,
    boolean confirm) {

  /** The filter subscribed on the broker for a route: shared when a group is set. */
  String subscriptionFilter(InboundRoute route) {
    return sharedGroup == null ? route.filter() : "$share/" + sharedGroup + "/" + route.filter();
  }
}
