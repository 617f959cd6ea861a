package io.mayfly.bench.system;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where the readings of one MQTT run arrive, on any thread: counts them and records each one's
 * latency from its publication, read from the nanosecond timestamp the publisher wrote into bytes
 * 8..15 of the reading (the publisher runs in the same JVM, so the clocks agree).
 */
final class IngressSink {
  /** The offset of the publication timestamp in a reading; the sensor actor ignores it. */
  static final int TIMESTAMP_OFFSET = 8;

  private final Recorder latencies = new Recorder(1, 100_000_000_000L, 3);
  private final AtomicLong arrived = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong();

  /** Records one reading that reached its destination now. */
  void arrived(byte[] reading) {
    long now = System.nanoTime();
    long sent = ByteBuffer.wrap(reading).order(ByteOrder.LITTLE_ENDIAN).getLong(TIMESTAMP_OFFSET);
    latencies.recordValue(Math.max(1, now - sent));
    lastNanos.accumulateAndGet(now, Math::max);
    arrived.incrementAndGet();
  }

  /** How many readings arrived. */
  long count() {
    return arrived.get();
  }

  /** When the last reading arrived ({@link System#nanoTime()}), or 0. */
  long lastNanos() {
    return lastNanos.get();
  }

  /** The latencies recorded so far (each call returns those since the previous one). */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }
}
