package io.mayfly.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * An actor's state as seen from outside, without touching its TTL.
 *
 * @param address the actor
 * @param entries live keys with their values and remaining TTL
 * @param remainingTtl time until the actor's state is dropped; {@code null} for never
 * @param pendingTimers how many timers it has pending
 * @param subscriptions the topic filters it subscribed to
 */
public record ActorSnapshot(
    Address address,
    Map<String, Entry> entries,
    Duration remainingTtl,
    int pendingTimers,
    Set<String> subscriptions) {

  /**
   * One key.
   *
   * @param value the bytes
   * @param remainingTtl time until the key expires; {@code null} when it lives as long as the actor
   */
  public record Entry(byte[] value, Duration remainingTtl) {}
}
