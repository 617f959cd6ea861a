package io.mayfly.bench.iot;

/**
 * The sensor actor's logic in plain Java, shared by the Pekko actor and the bare loop: a ring of
 * the last {@value #SIZE} readings and the anomaly rule of {@code testdata/guests/c/sensor.c}.
 *
 * <p>The mean and the population standard deviation are computed over slots {@code 0..count-1} in
 * slot order with the C code's operations in the C code's order (a sum loop, {@code sum / n}, a
 * loop of squared deviations, {@code sqrt(var / n)}), so the results are bit for bit those of the
 * Wasm actor: Java's double arithmetic is IEEE 754 without fused multiply-add, as Wasm's is, and
 * {@link Math#sqrt} is correctly rounded, as {@code f64.sqrt} is. Not thread-safe: one actor (or
 * one loop) owns a window.
 */
final class Window {
  /** Readings the window holds. */
  static final int SIZE = 32;

  /** Readings the window must hold before a reading can raise an alert. */
  static final int MIN_COUNT = 8;

  private final double[] values = new double[SIZE];
  private int count;
  private int next;
  private double mean;
  private double deviation;

  /**
   * Handles a reading (a TELL): computes the statistics of the window as it is, decides whether
   * {@code x} is an anomaly, then inserts {@code x}.
   *
   * @return whether {@code x} raises an alert; {@link #mean()} is then the mean it was compared to
   */
  boolean read(double x) {
    computeStatistics();
    boolean alert = count >= MIN_COUNT && deviation > 0 && Math.abs(x - mean) > 3 * deviation;
    values[next] = x;
    next = (next + 1) % SIZE;
    if (count < SIZE) {
      count++;
    }
    return alert;
  }

  /** Answers an ASK: computes the statistics without inserting anything; see {@link #mean()}. */
  void inspect() {
    computeStatistics();
  }

  /** The mean computed by the last {@link #read} or {@link #inspect} (0 for an empty window). */
  double mean() {
    return mean;
  }

  /** How many readings the window holds. */
  int count() {
    return count;
  }

  private void computeStatistics() {
    int n = count;
    if (n == 0) {
      mean = 0;
      deviation = 0;
      return;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += values[i];
    }
    double m = sum / n;
    double var = 0;
    for (int i = 0; i < n; i++) {
      double d = values[i] - m;
      var += d * d;
    }
    mean = m;
    deviation = Math.sqrt(var / n);
  }
}
