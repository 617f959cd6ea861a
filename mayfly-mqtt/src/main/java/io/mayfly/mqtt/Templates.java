package io.mayfly.mqtt;

import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Topics;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of route filters and {@code {n}} templates, at build time. */
final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

  private Templates() {}

  static void checkRoute(String filter, String template, int qos, String what) {
    try {
      Topics.checkFilter(filter);
    } catch (InvalidAddressException e) {
      throw new InvalidConfigException(what + ": " + e.getMessage(), e);
    }
    if (template == null || template.isEmpty()) {
      throw new InvalidConfigException(what + " template for filter '" + filter + "' is empty");
    }
    if (qos != 0 && qos != 1) {
      throw new InvalidConfigException(what + " '" + filter + "': qos must be 0 or 1, was " + qos);
    }
    int wildcards = 0;
    for (String segment : filter.split("/", -1)) {
      if (segment.equals("+") || segment.equals("#")) {
        wildcards++;
      }
    }
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (n < 1 || n > wildcards) {
        throw new InvalidConfigException(
            what
                + " template '"
                + template
                + "' uses {"
                + n
                + "} but filter '"
                + filter
                + "' has "
                + wildcards
                + " wildcard(s)");
      }
    }
  }
}
