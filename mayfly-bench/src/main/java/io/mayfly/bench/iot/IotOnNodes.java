package io.mayfly.bench.iot;

import io.mayfly.bench.Guests;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.util.List;

/**
 * The IoT workload's driver and readings ({@link ActorDriven}, the seeded timing table) on nodes
 * made elsewhere, such as the members of a cluster: the same sensor module, the same messages, the
 * same bound on messages in flight as the {@code iot} workload. Sensor {@code i}'s messages enter
 * node {@code i mod n}. Used from one thread; closing it leaves the nodes open.
 */
public final class IotOnNodes implements AutoCloseable {
  /** The sensor module's type name, as deployed by {@link #deploy}. */
  public static final String TYPE = MayflyFleet.TYPE;

  /** The most readings a sensor's window holds. */
  public static final int WINDOW = Window.SIZE;

  private static final long SEED = 64_32_8L;

  private final ActorDriven driven;

  private IotOnNodes(String name, List<Mayfly> nodes) {
    this.driven =
        new ActorDriven(sink -> new MayflyFleet(name, nodes, sink), TimingTable.generate(SEED));
  }

  /**
   * Deploys the sensor module as type {@value MayflyFleet#TYPE} on {@code node} with {@code config}
   * (on a cluster member, the deploy reaches every member).
   */
  public static void deploy(Mayfly node, TypeConfig config) {
    node.deploy(TYPE, Guests.sensor(), config);
  }

  /**
   * A driver of the sensors on {@code nodes}, where the sensor type is deployed.
   *
   * @param name the name in errors
   */
  public static IotOnNodes over(String name, List<Mayfly> nodes) {
    return new IotOnNodes(name, nodes);
  }

  /** A reading of {@code value}: the payload the sensors take, told or asked. */
  public static byte[] reading(double value) {
    return Readings.of(value);
  }

  /**
   * How many readings a sensor's window holds, from its reply to an ask.
   *
   * @throws IllegalStateException if the reply is not a sensor's
   */
  public static int windowCount(byte[] reply) {
    return (int) WindowStats.decode(reply).count();
  }

  /**
   * One saturation run.
   *
   * @param turnsPerSecond turns handled per second in the measured window, on all nodes
   * @param cpuNanosPerTurn CPU time of this whole process per turn in that window
   */
  public record Run(double turnsPerSecond, double cpuNanosPerTurn) {}

  /** Makes sure sensors {@code 0 .. sensors-1} exist with full windows. */
  public void fill(int sensors) {
    driven.fill(sensors);
  }

  /**
   * Offers readings to {@code sensors} sensors as fast as the nodes take them, first for {@code
   * warmUpNanos} unmeasured, then for {@code windowNanos} measured; returns once every message sent
   * is handled and every ask answered.
   *
   * @throws IllegalStateException if a turn or an ask failed, or the nodes stopped handling turns
   */
  public Run saturate(int sensors, long warmUpNanos, long windowNanos) {
    Saturation s = driven.saturate(sensors, warmUpNanos, windowNanos);
    return new Run(s.rate(), s.cpuNanosPerTurn());
  }

  @Override
  public void close() {
    driven.close();
  }
}
