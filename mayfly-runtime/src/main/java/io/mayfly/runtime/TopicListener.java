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
}
