package io.mayfly.runtime;

/**
 * Routes publications on a topic filter to actors of a type. The target id is built from the
 * template: {@code {1}}, {@code {2}}… stand for the segments the wildcards matched ({@code #}
 * matches the rest of the topic). Example: filter {@code alerts/+}, template {@code {1}}: a
 * publication on {@code alerts/site-7} goes to {@code TYPE/site-7}.
 *
 * @param filter a topic filter ({@code +} one segment, {@code #} the rest)
 * @param idTemplate the target actor id
 */
public record TypeSubscription(String filter, String idTemplate) {
  /**
   * @throws InvalidConfigException if the filter is not a valid topic filter or the template is
   *     empty, naming the filter
   */
  public TypeSubscription {
    try {
      Topics.checkFilter(filter);
    } catch (InvalidAddressException e) {
      throw new InvalidConfigException("subscription " + e.getMessage(), e);
    }
    if (idTemplate == null || idTemplate.isEmpty()) {
      throw new InvalidConfigException("subscription id template is empty for filter " + filter);
    }
  }
}
