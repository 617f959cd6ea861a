package io.mayfly.bench.iot;

import java.util.Random;

/**
 * The readings of the timed runs: a fixed table of {@value #ENTRIES} entries, each a reading or (1
 * in 100) an ask, cycled through. Message {@code j} of a run over {@code n} sensors goes to sensor
 * {@code j mod n} and carries the next entry of the table, so every sensor gets one message per
 * round. The readings are normal around 20 with 0.5 % outliers, so a few turns publish an alert.
 */
final class TimingTable {
  /** Entries of the table (a power of two). */
  static final int ENTRIES = 8192;

  /** Share of messages that are asks, the latency samples. */
  static final double ASK_RATE = 0.01;

  private static final double OUTLIER_RATE = 0.005;

  private final byte[][] readings = new byte[ENTRIES][];
  private final boolean[] asks = new boolean[ENTRIES];

  private TimingTable() {}

  /** A seeded table. */
  static TimingTable generate(long seed) {
    var random = new Random(seed);
    var table = new TimingTable();
    for (int i = 0; i < ENTRIES; i++) {
      table.asks[i] = random.nextDouble() < ASK_RATE;
      double off = random.nextDouble() < OUTLIER_RATE ? 6 : 0;
      table.readings[i] = Readings.of(20 + off + random.nextGaussian());
    }
    return table;
  }

  /** The reading of entry {@code next mod ENTRIES}. */
  byte[] reading(long next) {
    return readings[index(next)];
  }

  /** Whether entry {@code next mod ENTRIES} is an ask. */
  boolean ask(long next) {
    return asks[index(next)];
  }

  private static int index(long next) {
    return (int) (next & (ENTRIES - 1));
  }
}
