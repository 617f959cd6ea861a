package io.mayfly.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * The meters of a bridge, read from {@link MqttBridge#stats()} and {@link MqttBridge#connected()}
 * when the registry is scraped; the counters themselves stay the bridge's own.
 */
final class BridgeMeters {
  private BridgeMeters() {}

  /** Registers the bridge's meters (docs/mqtt.md lists them). */
  static void bind(MqttBridge bridge, MeterRegistry registry) {
    counter(
        registry,
        bridge,
        "mayfly.mqtt.messages.received",
        "messages received from the broker",
        MqttBridgeStats::received);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.messages.delivered",
        "received messages accepted into an actor's mailbox",
        MqttBridgeStats::delivered);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.messages.rejected",
        "received messages that can never be delivered (no route, bad address, unknown type, too large)",
        MqttBridgeStats::rejected);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.messages.dropped",
        "QoS 0 messages given up (too many waiting for full mailboxes, or closing)",
        MqttBridgeStats::dropped);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.delivery.retries",
        "delivery attempts that found the mailbox full and were retried",
        MqttBridgeStats::retries);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.messages.published",
        "node publications the broker accepted",
        MqttBridgeStats::published);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.publish.failures",
        "node publications that could not be published",
        MqttBridgeStats::publishFailures);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.reconnects",
        "connections re-established after the first one",
        MqttBridgeStats::reconnects);
    counter(
        registry,
        bridge,
        "mayfly.mqtt.sessions.lost",
        "reconnections on which the broker had forgotten the session (it is resubscribed at once)",
        MqttBridgeStats::sessionsLost);
    Gauge.builder("mayfly.mqtt.connected", bridge, b -> b.connected() ? 1 : 0)
        .description("1 while the bridge is connected and subscribed, else 0")
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      MqttBridge bridge,
      String name,
      String description,
      ToLongFunction<MqttBridgeStats> value) {
    FunctionCounter.builder(name, bridge, b -> value.applyAsLong(b.stats()))
        .description(description)
        .register(registry);
  }
}
