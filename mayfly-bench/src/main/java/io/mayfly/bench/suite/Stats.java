package io.mayfly.bench.suite;

import java.util.Arrays;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Medians of repetitions, latency percentiles and the formats the tables use. */
public final class Stats {
  private Stats() {}

  /** The median of the values (the mean of the middle two for an even count). */
  public static double median(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the median of no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  public static double min(double... values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  public static double max(double... values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  /** A histogram of latencies in nanoseconds, 1 ns to 100 s at 3 significant digits. */
  public static Histogram latencyHistogram() {
    return new Histogram(1, 100_000_000_000L, 3);
  }

  /** A rate in operations per second: {@code 5.21 M/s}, {@code 312 k/s}, {@code 95.0 /s}. */
  public static String rate(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M/s", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.0f k/s", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f /s", perSecond);
  }

  /**
   * A duration given in nanoseconds: {@code 850 ns}, {@code 12.3 µs}, {@code 4.56 ms}, {@code 1.20
   * s}.
   */
  public static String nanos(double nanos) {
    if (nanos < 1e3) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (nanos < 1e6) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    if (nanos < 1e9) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** A size in bytes: {@code 433 B}, {@code 12.5 KiB}, {@code 413 MiB}. */
  public static String bytes(double bytes) {
    if (bytes < 1024) {
      return String.format(Locale.ROOT, "%.0f B", bytes);
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
    }
    if (bytes < 1024.0 * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  /** A ratio: {@code 0.52x}, {@code 12.3x}, {@code 143x}. */
  public static String ratio(double ratio) {
    if (ratio >= 100) {
      return String.format(Locale.ROOT, "%.0fx", ratio);
    }
    if (ratio >= 10) {
      return String.format(Locale.ROOT, "%.1fx", ratio);
    }
    return String.format(Locale.ROOT, "%.2fx", ratio);
  }

  /** A percentage: {@code 95.2 %}. */
  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
  }

  /** The range of repetitions: {@code 2.50 M/s .. 11.9 M/s}. */
  public static String rateRange(double... perSecond) {
    return rate(min(perSecond)) + " .. " + rate(max(perSecond));
  }
}
