package io.mayfly.runtime;

import java.time.Duration;

/** One thing a turn did besides changing state; committed with the turn or not at all. */
public sealed interface Effect {
  /** A one-way message to another actor. */
  record Send(Address to, byte[] payload) implements Effect {}

  /** A request to another actor; its answer comes back as a REPLY with this correlation id. */
  record Ask(Address to, byte[] payload, long correlationId, Duration timeout) implements Effect {}

  /** The answer to the ask being handled, or (deferred) to a kept reply handle. */
  record Reply(RequestRef request, byte[] payload) implements Effect {}

  /** A publication on a topic. */
  record Publish(String topic, byte[] payload) implements Effect {}

  /**
   * A timer message to itself.
   *
   * @param dueNanos when it fires on the node clock (the turn's time plus {@code delay})
   */
  record SetTimer(long timerId, Duration delay, long dueNanos, byte[] payload) implements Effect {}

  /** A cancelled timer. */
  record CancelTimer(long timerId) implements Effect {}

  /** A new subscription of this actor to a topic filter. */
  record Subscribe(String filter) implements Effect {}

  /** A dropped subscription. */
  record Unsubscribe(String filter) implements Effect {}

  /** A log line. */
  record Log(int level, String text) implements Effect {}
}
