package io.mayfly.bench.iot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fixed stream every implementation runs, from empty windows, before anything is timed; their
 * alerts and ask replies must be identical.
 *
 * @param sensors how many sensors the stream addresses ({@code 0 .. sensors-1})
 * @param messages the messages in the order they are sent
 */
record VerificationStream(int sensors, List<Message> messages) {
  /** Mean of the generated readings. */
  static final double MEAN = 20;

  /** Share of readings that are injected outliers, 4 to 10 off the mean. */
  static final double OUTLIER_RATE = 0.03;

  /** Share of readings preceded by an ask to the same sensor. */
  static final double ASK_RATE = 0.01;

  /**
   * One message.
   *
   * @param sensor the sensor it goes to
   * @param ask whether it is an ASK (the sensor replies its mean and count) rather than a TELL
   * @param reading the 64-byte reading (an ask's is ignored)
   */
  record Message(int sensor, boolean ask, byte[] reading) {}

  VerificationStream {
    messages = List.copyOf(messages);
    for (Message m : messages) {
      if (m.sensor() < 0 || m.sensor() >= sensors) {
        throw new IllegalArgumentException(
            "message to sensor " + m.sensor() + " in a stream of " + sensors + " sensors");
      }
    }
  }

  /**
   * A seeded stream: {@code rounds} rounds of one reading to every sensor in turn, normal around
   * {@value #MEAN} (deviation 1) with injected outliers, and now and then an ask before a reading.
   */
  static VerificationStream generate(long seed, int sensors, int rounds) {
    var random = new Random(seed);
    var messages = new ArrayList<Message>();
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < sensors; s++) {
        if (random.nextDouble() < ASK_RATE) {
          messages.add(new Message(s, true, Readings.of(0)));
        }
        messages.add(new Message(s, false, Readings.of(value(random))));
      }
    }
    return new VerificationStream(sensors, messages);
  }

  /** A reading: normal around the mean, or (rarely) an outlier. */
  static double value(Random random) {
    if (random.nextDouble() < OUTLIER_RATE) {
      double off = 4 + 6 * random.nextDouble();
      return random.nextBoolean() ? MEAN + off : MEAN - off;
    }
    return MEAN + random.nextGaussian();
  }
}
