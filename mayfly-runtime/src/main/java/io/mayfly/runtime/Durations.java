package io.mayfly.runtime;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations that users type and read: settings of {@code mayfly run}, options of
 * the CLI, query parameters of the HTTP API, and durations printed back to users.
 *
 * <p>A duration is one or more whole numbers each followed by a unit, from the largest unit to the
 * smallest: {@code d} (days of 24 hours), {@code h}, {@code m}, {@code s}, {@code ms}, {@code us},
 * {@code ns}. Examples: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code
 * 1m30s}, {@code 20us}. A leading {@code -} makes it negative. ISO-8601 ({@code PT5S}, {@code
 * PT1M30S}) is accepted too. {@link #format(Duration)} prints the shortest exact form of this
 * grammar, so {@code parse(format(d))} equals {@code d} for every duration.
 */
public final class Durations {
  /** The grammar, stated once for error messages. */
  public static final String GRAMMAR =
      "whole numbers with units from d, h, m, s, ms, us, ns, largest first (250ms, 10s, 5m,"
          + " 1h30m, 2d) or ISO-8601 (PT5S)";

  private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};
  private static final BigInteger[] NANOS = {
    BigInteger.valueOf(86_400_000_000_000L),
    BigInteger.valueOf(3_600_000_000_000L),
    BigInteger.valueOf(60_000_000_000L),
    BigInteger.valueOf(1_000_000_000L),
    BigInteger.valueOf(1_000_000L),
    BigInteger.valueOf(1_000L),
    BigInteger.ONE
  };
  private static final BigInteger NANOS_PER_SECOND = NANOS[3];

  /** One component: digits and a unit. 40 digits hold any duration in nanoseconds. */
  private static final Pattern COMPONENT = Pattern.compile("(\\d{1,40})(ms|us|ns|d|h|m|s)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws InvalidConfigException naming the text when it does not follow the grammar or does not
   *     fit a {@link Duration}
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new InvalidConfigException("a duration is required (" + GRAMMAR + ")");
    }
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("-P") || t.startsWith("+P")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw bad(text, e);
      }
    }
    boolean negative = t.startsWith("-");
    String body = negative ? t.substring(1) : t;
    Matcher m = COMPONENT.matcher(body);
    BigInteger total = BigInteger.ZERO;
    int end = 0;
    int lastUnit = -1;
    while (end < body.length() && m.find(end) && m.start() == end) {
      int unit = unitIndex(m.group(2));
      if (unit <= lastUnit) {
        throw new InvalidConfigException(
            "'" + text + "' is not a duration: units must go from the largest to the smallest");
      }
      total = total.add(new BigInteger(m.group(1)).multiply(NANOS[unit]));
      lastUnit = unit;
      end = m.end();
    }
    if (body.isEmpty() || end != body.length()) {
      throw bad(text, null);
    }
    return ofNanos(negative ? total.negate() : total, text);
  }

  /**
   * The shortest exact form of a duration in the grammar of {@link #parse}: {@code 10m}, not {@code
   * 600000ms} or {@code PT10M}; {@code 90s} rather than {@code 1m30s}; {@code 0s} for zero. Of
   * forms of equal length, the one with fewer parts, then the one with larger units.
   */
  public static String format(Duration d) {
    BigInteger total =
        BigInteger.valueOf(d.getSeconds())
            .multiply(NANOS_PER_SECOND)
            .add(BigInteger.valueOf(d.getNano()));
    if (total.signum() == 0) {
      return "0s";
    }
    String sign = total.signum() < 0 ? "-" : "";
    return sign + shortest(total.abs());
  }

  /**
   * The shortest form of a positive number of nanoseconds. A form is a run of parts with falling
   * units; what follows a part of unit {@code u} writes {@code total mod NANOS[u]}, because each
   * unit divides the larger ones. So {@code best[k]}, the shortest form of {@code total mod
   * NANOS[k-1]} in units from {@code k} on, is found from the smallest unit up.
   */
  private static String shortest(BigInteger total) {
    String[] best = new String[UNITS.length + 1];
    best[UNITS.length] = "";
    for (int k = UNITS.length - 1; k >= 0; k--) {
      BigInteger rest = k == 0 ? total : total.mod(NANOS[k - 1]);
      String chosen = "";
      for (int u = k; u < UNITS.length && rest.signum() > 0; u++) {
        BigInteger count = rest.divide(NANOS[u]);
        if (count.signum() == 0) {
          continue;
        }
        String candidate = count + UNITS[u] + best[u + 1];
        if (chosen.isEmpty()
            || candidate.length() < chosen.length()
            || (candidate.length() == chosen.length() && parts(candidate) < parts(chosen))) {
          chosen = candidate;
        }
      }
      best[k] = chosen;
    }
    return best[0];
  }

  private static long parts(String form) {
    long parts = 0;
    for (int i = 1; i < form.length(); i++) {
      if (Character.isDigit(form.charAt(i)) && !Character.isDigit(form.charAt(i - 1))) {
        parts++;
      }
    }
    return parts;
  }

  private static int unitIndex(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        return i;
      }
    }
    throw new IllegalArgumentException(unit);
  }

  private static Duration ofNanos(BigInteger nanos, String text) {
    BigInteger[] qr = nanos.divideAndRemainder(NANOS_PER_SECOND);
    BigInteger seconds = qr[0];
    long nano = qr[1].longValue();
    if (nano < 0) {
      seconds = seconds.subtract(BigInteger.ONE);
      nano += 1_000_000_000L;
    }
    if (seconds.bitLength() >= Long.SIZE) {
      throw new InvalidConfigException("'" + text + "' is too long a duration");
    }
    return Duration.ofSeconds(seconds.longValue(), nano);
  }

  private static InvalidConfigException bad(String text, Throwable cause) {
    return new InvalidConfigException("'" + text + "' is not a duration: use " + GRAMMAR, cause);
  }

  /** {@link #format} for messages about a value that may be missing: {@code null} for none. */
  static String show(Duration d) {
    return d == null ? "null" : format(d);
  }
}
