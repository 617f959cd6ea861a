package io.mayfly.runtime;

/** Receives publications outside the actor system (Java API, server-sent events, tail). */
@FunctionalInterface
public interface TopicListener {
  /**
   * Called once per matching publication, on the publishing thread (for a publication made on
   * another member of a cluster, on the thread that received it); keep it quick.
   *
   * @param topic the topic published to
   * @param payload the bytes (do not modify)
   * @param publisher the publishing actor, or {@code null} when published from outside
   */
  void onPublication(String topic, byte[] payload, Address publisher);

  /**
   * Called in place of {@link #onPublication(String, byte[], Address)} with the trace the
   * publication belongs to; by default ignores it. Override it to carry the trace on (the MQTT
   * bridge puts it in the broker message's {@code traceparent} user property).
   *
   * @param trace the span that published, or {@code null} (tracing off, or none)
   */
  default void onPublication(String topic, byte[] payload, Address publisher, TraceContext trace) {
    onPublication(topic, payload, publisher);
  }

  /**
   * Whether this listener hears publications made on the other members of a cluster too (by default
   * it does). A listener that forwards publications to a place every member forwards to (the MQTT
   * bridge to its broker) answers {@code false}: it then hears only the publications made on its
   * own node, so each publication is forwarded once, by the member where it was made. Read once,
   * when the listener subscribes.
   */
  default boolean clusterWide() {
    return true;
  }
}
