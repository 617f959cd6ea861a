package io.mayfly.mqtt;

/**
 * Counters of an {@link MqttBridge} since it was built.
 *
 * @param received messages received from the broker
 * @param delivered received messages accepted into an actor's mailbox (and then acknowledged)
 * @param rejected received messages that can never be delivered (no route, bad address, unknown
 *     actor type, too large): logged and acknowledged so the broker does not redeliver them
 * @param dropped QoS 0 messages given up because too many messages were already waiting for a full
 *     mailbox, or because the node was closing
 * @param retries delivery attempts that found the actor's mailbox full and were retried later
 * @param published node publications the broker accepted
 * @param publishFailures node publications that could not be published (bad broker topic, too many
 *     in flight, refused by the broker)
 * @param reconnects connections re-established after the first one
 * @param sessionsLost reconnections on which the broker no longer had the bridge's session (it
 *     restarted without persistence, or the session expired): what was published to the bridge's
 *     topics while it was away is lost, and the bridge subscribed again at once
 */
public record MqttBridgeStats(
    long received,
    long delivered,
    long rejected,
    long dropped,
    long retries,
    long published,
    long publishFailures,
    long reconnects,
    long sessionsLost) {}
