package io.mayfly.cli;

import io.mayfly.runtime.Address;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Simulated temperature sensors, one actor each, reporting in turn (round robin). Each sensor has
 * its own level and noise amplitude; a reading is the level plus truncated normal noise, and now
 * and then a spike of 10 to 20 times the noise amplitude. The same seed gives the same readings.
 * Not thread-safe: one thread drives the fleet.
 *
 * <p>A reading is 64 bytes: the value as a little-endian f64, then the sensor's sequence number as
 * a little-endian i64, then zeros (the layout {@code sensor.wasm} expects in its first 8 bytes).
 */
final class SensorFleet {
  /** Sensors per site. */
  static final int PER_SITE = 100;

  /** Size of one reading. */
  static final int READING_BYTES = 64;

  private static final VarHandle F64 =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** One reading addressed to its sensor's actor. */
  record Reading(Address sensor, byte[] payload, boolean spike) {}

  private final Address[] addresses;
  private final double[] level;
  private final double[] amplitude;
  private final long[] sequence;
  private final double spikeProbability;
  private final SplittableRandom random;
  private final SplittableRandom sampler;
  private int next;

  /**
   * @param type the actor type of the sensors; sensor {@code i} is {@code type/<site>.<n>} with
   *     {@value #PER_SITE} sensors a site: {@code s<i / 100>.<i % 100>}, e.g. {@code sensor/s3.17}
   * @param sensors how many
   * @param seed seeds every random choice
   * @param spikeProbability chance that a reading is a spike
   */
  SensorFleet(String type, int sensors, long seed, double spikeProbability) {
    this.random = new SplittableRandom(seed);
    // Sampling draws from its own stream, so the readings do not depend on when samples are taken.
    this.sampler = random.split();
    this.spikeProbability = spikeProbability;
    this.addresses = new Address[sensors];
    this.level = new double[sensors];
    this.amplitude = new double[sensors];
    this.sequence = new long[sensors];
    for (int i = 0; i < sensors; i++) {
      addresses[i] = Address.of(type, id(i));
      level[i] = 15 + 10 * random.nextDouble();
      amplitude[i] = 0.2 + 0.8 * random.nextDouble();
    }
  }

  /**
   * The id of sensor {@code i}: {@code <site>.<n>}, the form the sensor actor takes its site from.
   */
  static String id(int i) {
    return "s" + (i / PER_SITE) + "." + (i % PER_SITE);
  }

  int size() {
    return addresses.length;
  }

  Address address(int sensor) {
    return addresses[sensor];
  }

  /** The next sensor's next reading. */
  Reading nextReading() {
    int s = next;
    next = next + 1 == addresses.length ? 0 : next + 1;
    boolean spike = random.nextDouble() < spikeProbability;
    double deviation =
        spike ? (random.nextBoolean() ? 1 : -1) * random.nextDouble(10, 20) : noise();
    byte[] payload = new byte[READING_BYTES];
    F64.set(payload, 0, level[s] + amplitude[s] * deviation);
    I64.set(payload, 8, sequence[s]++);
    return new Reading(addresses[s], payload, spike);
  }

  /**
   * Normal noise cut off at one standard deviation (redrawn beyond): a 3-sigma detector over a
   * window of 32 fires on about 4 in 100,000 such readings instead of 1 in 200 with untruncated
   * noise, so most alerts come from spikes.
   */
  private double noise() {
    double g;
    do {
      g = random.nextGaussian();
    } while (Math.abs(g) > 1);
    return g;
  }

  /** A sensor picked at random, for sampling. */
  Address randomSensor() {
    return addresses[sampler.nextInt(addresses.length)];
  }
}
