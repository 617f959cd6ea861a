package io.mayfly.bench.iot;

/**
 * The answer to an ASK: the window's mean (0 when empty) and how many readings it holds, as the C
 * actor replies them (two little-endian doubles).
 */
record WindowStats(double mean, double count) {
  /** The actor's 16-byte reply. */
  static WindowStats decode(byte[] reply) {
    if (reply.length != 16) {
      throw new IllegalStateException(
          "the sensor replied " + reply.length + " bytes to an ask; expected 16 (mean, count)");
    }
    return new WindowStats(Readings.doubleAt(reply, 0), Readings.doubleAt(reply, 8));
  }
}
