package io.mayfly.runtime;

/** Receives publications outside the actor system (Java API, server-sent events, tail). */
@FunctionalInterface
public interface TopicListener {
  /**
   * Called once per matching publication, on the publishing thread; keep it quick.
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
}
