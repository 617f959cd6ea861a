package io.mayfly.mqtt;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Topics;
import java.util.List;

/**
 * A broker topic filter routed to actors.
 *
 * @param filter the MQTT topic filter subscribed to on the broker
 * @param addressTemplate {@code type/id} with {@code {1}}, {@code {2}}… for the wildcard segments
 * @param qos the maximum QoS of the subscription, 0 or 1
 */
record InboundRoute(String filter, String addressTemplate, int qos) {

  InboundRoute {
    Templates.checkRoute(filter, addressTemplate, qos, "route");
    if (addressTemplate.indexOf('/') <= 0) {
      throw new io.mayfly.runtime.InvalidConfigException(
          "route address template '" + addressTemplate + "' is not type/id (example: sensor/{1})");
    }
  }

  /**
   * The actor a topic goes to.
   *
   * @return {@code null} if the topic does not match the filter
   * @throws io.mayfly.runtime.InvalidAddressException if the expanded address is not valid
   */
  Address address(String topic) {
    List<String> captures = Topics.match(filter, topic);
    return captures == null ? null : Address.parse(Topics.expand(addressTemplate, captures));
  }
}
