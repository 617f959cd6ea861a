package io.mayfly.bench;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Turns per second of the IoT window workload: the C sensor actor ({@code
 * testdata/guests/wasm/sensor.wasm}, a 32-value sliding window of 264 bytes in state, an alert
 * publication when a reading is more than 3 standard deviations off the mean) over 10 000 actors on
 * a node with 2 workers.
 *
 * <p>Readings are 64 bytes, the first 8 a little-endian double drawn from a normal distribution
 * (mean 20, deviation 1, fixed seed), so about 0.5 % of turns publish an alert (nobody listens).
 * The windows are full before measuring. As in {@link TurnThroughput}, an invocation tells every
 * actor one reading round-robin from the benchmark thread and parks until all are handled; one
 * operation is one turn. {@code node=synchronous} runs each turn on the benchmark thread as it is
 * told: the runtime's cost per turn on one thread, without scheduling, and a steadier figure on a
 * shared machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SensorThroughput {
  static final int SENSORS = 10_000;
  static final int READING_BYTES = 64;
  static final int WINDOW = 32;

  private final byte[][] readings = new byte[1024][];
  private Mayfly mayfly;
  private Address[] sensors;
  private long expectedTurns;
  private final CpuMeter cpu = new CpuMeter(() -> expectedTurns);
  private int round;

  @Param({"workers", "synchronous"})
  public String node;

  /** {@code on}: the turn recorder records every sensor (bounded, so it drops as it goes). */
  @Param({"off"})
  public String recording;

  /** {@code on}: every turn is a span, and the node keeps its recent traces (no exporter). */
  @Param({"off"})
  public String tracing;

  @Setup
  public void start() {
    Logs.quiet();
    var random = new Random(42);
    for (int i = 0; i < readings.length; i++) {
      readings[i] =
          ByteBuffer.allocate(READING_BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putDouble(0, 20 + random.nextGaussian())
              .array();
    }
    mayfly =
        Mayfly.builder()
            .workers(2)
            .synchronous(node.equals("synchronous"))
            .tracing(tracing.equals("on"))
            .build();
    mayfly.deploy("sensor", Guests.sensor(), TypeConfig.builder().mailboxCapacity(4096).build());
    if (recording.equals("on")) {
      mayfly.recorder().start("sensor");
    }
    sensors = new Address[SENSORS];
    for (int i = 0; i < SENSORS; i++) {
      sensors[i] = Address.of("sensor", "s" + i);
    }
    for (int i = 0; i < WINDOW; i++) {
      readingForEverySensor();
    }
  }

  @TearDown
  public void stop() {
    mayfly.close();
  }

  @Setup(Level.Iteration)
  public void meterCpu() {
    cpu.begin();
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    cpu.end().print("turn");
  }

  /** One reading to each of the 10 000 sensors: 10 000 turns. */
  @Benchmark
  @OperationsPerInvocation(SENSORS)
  public void readingPerSensor() {
    readingForEverySensor();
  }

  private void readingForEverySensor() {
    int r = round++;
    for (int i = 0; i < SENSORS; i++) {
      mayfly.tell(sensors[i], readings[(i + r) & (readings.length - 1)]);
    }
    expectedTurns += SENSORS;
    Turns.await(mayfly, expectedTurns);
  }
}
