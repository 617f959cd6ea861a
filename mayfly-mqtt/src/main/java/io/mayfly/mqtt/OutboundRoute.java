package io.mayfly.mqtt;

import io.mayfly.runtime.Topics;
import java.util.List;

/**
 * Node publications on a topic filter, published to the broker.
 *
 * @param filter the Mayfly topic filter listened to
 * @param topicTemplate the broker topic, with {@code {1}}, {@code {2}}… for the wildcard segments
 * @param qos the QoS of the broker publication, 0 or 1
 */
record OutboundRoute(String filter, String topicTemplate, int qos) {

  OutboundRoute {
    Templates.checkRoute(filter, topicTemplate, qos, "publish");
    if (topicTemplate.indexOf('+') >= 0 || topicTemplate.indexOf('#') >= 0) {
      throw new io.mayfly.runtime.InvalidConfigException(
          "publish topic template '" + topicTemplate + "' contains a wildcard");
    }
  }

  /** The broker topic for a node topic that matched {@link #filter()}. */
  String brokerTopic(String topic) {
    List<String> captures = Topics.match(filter, topic);
    return captures == null ? null : Topics.expand(topicTemplate, captures);
  }
}
