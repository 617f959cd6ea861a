package io.mayfly.bench.iot;

import org.HdrHistogram.Histogram;

/**
 * One implementation of the IoT logic under test: Mayfly, Pekko typed actors, the sensor module on
 * Node.js/V8, or the bare loop. Each holds its own sensors; sensors {@code 0 .. n-1} of the timed
 * set are the ones a run over {@code n} sensors uses, created (and their windows filled) as needed.
 * Used from one thread.
 */
interface Implementation extends AutoCloseable {
  /** The name in the tables. */
  String name();

  /** Runs the verification stream on fresh sensors and returns what they did. */
  Outcome verify(VerificationStream stream);

  /** Makes sure the first {@code sensors} timed sensors exist with full windows. */
  void fill(int sensors);

  /**
   * Offers readings to {@code sensors} sensors as fast as the implementation takes them: first for
   * {@code warmUpNanos} unmeasured, then for {@code windowNanos} measured.
   */
  Saturation saturate(int sensors, long warmUpNanos, long windowNanos);

  /**
   * Sends readings to {@code sensors} sensors at a fixed rate (open loop) for {@code nanos}; each
   * message has a scheduled time, and an ask's latency is counted from it, so a sender that falls
   * behind is not excused (no coordinated omission).
   *
   * @return the latency of the ask turns, in nanoseconds
   */
  Histogram paced(int sensors, double perSecond, long nanos);

  /**
   * Messages the implementation refused because a mailbox was full, and that were sent again, so
   * far; 0 for those without bounded mailboxes.
   */
  default long refusals() {
    return 0;
  }

  @Override
  void close();
}
