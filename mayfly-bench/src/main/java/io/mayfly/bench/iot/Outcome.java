package io.mayfly.bench.iot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an implementation did with the verification stream: the alerts its sensors raised and the
 * replies to the asks, grouped by sensor. Alerts keep each sensor's order (the order of its turns),
 * replies are ordered by the message they answer; the order between sensors is not meaningful.
 */
record Outcome(List<Alert> alerts, List<Reply> replies) {
  /** An alert: sensor {@code sensor} read {@code x}, too far off its window's {@code mean}. */
  record Alert(int sensor, double x, double mean) {
    String describe() {
      return String.format(Locale.ROOT, "sensor %d x=%s mean=%s", sensor, x, mean);
    }

    boolean sameBits(Alert o) {
      return sensor == o.sensor && bits(x) == bits(o.x) && bits(mean) == bits(o.mean);
    }
  }

  /** The reply to the ask that is message {@code message} of the stream. */
  record Reply(int sensor, int message, double mean, double count) {
    String describe() {
      return String.format(
          Locale.ROOT, "message %d to sensor %d: mean=%s count=%s", message, sensor, mean, count);
    }

    boolean sameBits(Reply o) {
      return sensor == o.sensor
          && message == o.message
          && bits(mean) == bits(o.mean)
          && bits(count) == bits(o.count);
    }
  }

  Outcome {
    alerts = List.copyOf(alerts);
    replies = List.copyOf(replies);
  }

  /**
   * Groups what an implementation collected: alerts by sensor, keeping the order in which each
   * sensor's alerts arrived; replies by sensor and message.
   */
  static Outcome of(Collection<Alert> alerts, Collection<Reply> replies) {
    var a = new ArrayList<>(alerts);
    a.sort(Comparator.comparingInt(Alert::sensor)); // stable: keeps each sensor's order
    var r = new ArrayList<>(replies);
    r.sort(Comparator.comparingInt(Reply::sensor).thenComparingInt(Reply::message));
    return new Outcome(a, r);
  }

  /**
   * The first way this outcome differs from {@code expected}, bit for bit, or empty if it does not.
   */
  Optional<String> firstDifference(Outcome expected) {
    for (int i = 0; i < Math.min(alerts.size(), expected.alerts.size()); i++) {
      if (!alerts.get(i).sameBits(expected.alerts.get(i))) {
        return Optional.of(
            "alert "
                + i
                + " is "
                + alerts.get(i).describe()
                + ", expected "
                + expected.alerts.get(i).describe());
      }
    }
    if (alerts.size() != expected.alerts.size()) {
      boolean more = alerts.size() > expected.alerts.size();
      Alert first =
          (more ? alerts : expected.alerts).get(Math.min(alerts.size(), expected.alerts.size()));
      return Optional.of(
          alerts.size()
              + " alerts, expected "
              + expected.alerts.size()
              + (more ? "; the first extra one is " : "; the first missing one is ")
              + first.describe());
    }
    for (int i = 0; i < Math.min(replies.size(), expected.replies.size()); i++) {
      if (!replies.get(i).sameBits(expected.replies.get(i))) {
        return Optional.of(
            "reply "
                + i
                + " is "
                + replies.get(i).describe()
                + ", expected "
                + expected.replies.get(i).describe());
      }
    }
    if (replies.size() != expected.replies.size()) {
      return Optional.of(replies.size() + " ask replies, expected " + expected.replies.size());
    }
    return Optional.empty();
  }

  private static long bits(double d) {
    return Double.doubleToRawLongBits(d);
  }
}
