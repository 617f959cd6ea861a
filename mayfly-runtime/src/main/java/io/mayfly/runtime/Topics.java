package io.mayfly.runtime;

import java.util.ArrayList;
import java.util.List;

/** Topic names and filters, with MQTT's rules: {@code /} separates segments. */
public final class Topics {
  /** Longest topic or filter. */
  public static final int MAX_LENGTH = 256;

  private Topics() {}

  /** Checks a topic name to publish on: no wildcards. */
  public static String checkTopic(String topic) {
    checkChars(topic, "topic");
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      throw new InvalidAddressException(
          "topic '" + topic + "' contains a wildcard; wildcards are for filters");
    }
    return topic;
  }

  /** Checks a subscription filter. */
  public static String checkFilter(String filter) {
    checkChars(filter, "topic filter");
    String[] segments = filter.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if ((s.contains("+") && !s.equals("+")) || (s.contains("#") && !s.equals("#"))) {
        throw new InvalidAddressException(
            "topic filter '" + filter + "': a wildcard must fill a whole segment");
      }
      if (s.equals("#") && i != segments.length - 1) {
        throw new InvalidAddressException("topic filter '" + filter + "': '#' must be last");
      }
    }
    return filter;
  }

  private static void checkChars(String t, String what) {
    if (t == null || t.isEmpty()) {
      throw new InvalidAddressException(what + " is empty");
    }
    if (t.length() > MAX_LENGTH) {
      throw new InvalidAddressException(what + " is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidAddressException(
            what + " '" + Address.printable(t) + "' has an invalid character at position " + i);
      }
    }
  }

  /**
   * Matches a topic against a filter.
   *
   * @return the segments the wildcards matched, in order, or {@code null} if it does not match
   */
  public static List<String> match(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    var captures = new ArrayList<String>(2);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        captures.add(
            String.join("/", java.util.Arrays.copyOfRange(t, Math.min(i, t.length), t.length)));
        return captures;
      }
      if (i >= t.length) {
        return null;
      }
      if (f[i].equals("+")) {
        captures.add(t[i]);
      } else if (!f[i].equals(t[i])) {
        return null;
      }
    }
    return f.length == t.length ? captures : null;
  }

  /** Fills {@code {1}}, {@code {2}}… in a template with captured segments. */
  public static String expand(String template, List<String> captures) {
    String out = template;
    for (int i = 0; i < captures.size(); i++) {
      out = out.replace("{" + (i + 1) + "}", captures.get(i));
    }
    return out;
  }
}
