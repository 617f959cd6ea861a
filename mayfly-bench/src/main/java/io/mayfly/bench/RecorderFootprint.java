package io.mayfly.bench;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Recorder;
import io.mayfly.runtime.TypeConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * What a recorded turn costs in heap, on the IoT workload of {@link SensorThroughput}: 10 000
 * sensors each get one reading a round. After a round that gives every sensor its state, the
 * recorder records the type for {@code rounds} rounds (default 5: 50 000 turns, all kept); the heap
 * after full collections with the turns kept, minus the heap once the recorder forgot them, divided
 * by the turns, is the memory per recorded turn. Prints it beside the recorder's own estimate
 * ({@code mayfly_recorder_bytes} per turn).
 *
 * <p>{@code java -Xmx2g -XX:-DontCompileHugeMethods -cp mayfly-bench/target/benchmarks.jar
 * io.mayfly.bench.RecorderFootprint [rounds]}
 */
public final class RecorderFootprint {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private RecorderFootprint() {}

  public static void main(String[] args) {
    Logs.quiet();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int sensors = SensorThroughput.SENSORS;
    int turns = rounds * sensors;
    var random = new Random(42);
    try (Mayfly node =
        Mayfly.builder().workers(2).recordTurns(turns).recordBytes(1L << 30).build()) {
      node.deploy("sensor", Guests.sensor(), TypeConfig.builder().mailboxCapacity(4096).build());
      var addresses = new Address[sensors];
      for (int i = 0; i < sensors; i++) {
        addresses[i] = Address.of("sensor", "s" + i);
      }
      long expected = 0;
      expected = round(node, addresses, random, expected);
      node.recorder().start("sensor");
      for (int r = 0; r < rounds; r++) {
        expected = round(node, addresses, random, expected);
      }
      node.recorder().stop("sensor");
      long kept = heapAfterGc();
      Recorder.Status status = node.recorder().status().getFirst();
      node.recorder().clear("sensor");
      long forgotten = heapAfterGc();
      System.out.printf(
          "recorded turns: %d (dropped %d)%n"
              + "heap with them kept: %d bytes, after clearing: %d bytes%n"
              + "measured: %d bytes per recorded turn; recorder's estimate: %d bytes per turn%n",
          status.turns(),
          status.dropped(),
          kept,
          forgotten,
          (kept - forgotten) / Math.max(1, status.turns()),
          status.bytes() / Math.max(1, status.turns()));
    }
  }

  private static long round(Mayfly node, Address[] addresses, Random random, long expected) {
    for (Address a : addresses) {
      byte[] reading =
          ByteBuffer.allocate(SensorThroughput.READING_BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putDouble(0, 20 + random.nextGaussian())
              .array();
      node.tell(a, reading);
    }
    long target = expected + addresses.length;
    Turns.await(node, target);
    return target;
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      MEMORY.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
