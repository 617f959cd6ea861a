package io.mayfly.bench;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Arrays;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The heap an idle actor costs: a synchronous node activates 1 000 000 actors of {@code
 * holder.wat}, each told one 100-byte message that it keeps as its state (key {@code p}, 101 bytes
 * of key and value), then the heap in use after a full collection is compared with the heap in use
 * before the first message. Idle means no mailbox, no instance: only the state in the store.
 *
 * <p>Not a JMH benchmark: one measurement of retained memory. Run it with the heap of the quality
 * bar's goal and more, for example {@code java -Xmx2g -XX:-DontCompileHugeMethods -cp
 * mayfly-bench/target/benchmarks.jar io.mayfly.bench.Footprint [actors] [stateBytes]}. With {@code
 * -D}{@value #HISTOGRAM_PROPERTY}{@code =N} it also prints the N classes that hold the most heap at
 * the end, to see where an idle actor's bytes go.
 */
public final class Footprint {
  /** System property: how many lines of the class histogram to print (default none). */
  static final String HISTOGRAM_PROPERTY = "mayfly.bench.histogram";

  private Footprint() {}

  /** Arguments: number of actors (default 1 000 000), payload bytes (default 100). */
  public static void main(String[] args) {
    int actors = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int stateBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Logs.quiet();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    byte[] payload = new byte[stateBytes];
    Arrays.fill(payload, (byte) 'x');
    var config = TypeConfig.builder().ttl(Ttl.afterAccess(Duration.ofHours(1))).build();

    try (Mayfly node = Mayfly.builder().synchronous(true).stateBudgetBytes(4L << 30).build()) {
      node.deploy("holder", Guests.holder(), config);
      node.deploy("warmup", Guests.holder(), config);
      // Instantiates and pools the module and loads the code of a turn, outside the measurement.
      node.tell(Address.of("warmup", "w"), payload);
      long before = heapUsedAfterGc(memory);

      long start = System.nanoTime();
      for (int i = 0; i < actors; i++) {
        node.tell(Address.of("holder", "sensor-" + i), payload);
      }
      long elapsed = System.nanoTime() - start;
      long after = heapUsedAfterGc(memory);

      NodeStats stats = node.stats();
      long retained = after - before;
      System.out.printf(
          "actors=%d stateBytes=%d heapMax=%d MiB%n",
          actors, stateBytes, Runtime.getRuntime().maxMemory() >> 20);
      System.out.printf(
          "activation: %.2f us per actor (synchronous node, first message)%n",
          elapsed / 1e3 / actors);
      System.out.printf(
          "heap used after GC: before=%d MiB after=%d MiB retained=%d MiB%n",
          before >> 20, after >> 20, retained >> 20);
      System.out.printf("heap per idle actor: %d bytes%n", retained / actors);
      System.out.printf(
          "stats: storedActors=%d activeActors=%d stateBytes=%d (%d per actor) turns=%d failed=%d"
              + " evictions=%d%n",
          stats.storedActors(),
          stats.activeActors(),
          stats.stateBytes(),
          stats.stateBytes() / Math.max(1, stats.storedActors()),
          stats.turns(),
          stats.failedTurns(),
          stats.evictions());
      int lines = Integer.getInteger(HISTOGRAM_PROPERTY, 0);
      if (lines > 0) {
        printHistogram(lines);
      }
    }
  }

  /** The heap's class histogram after a full collection, from the JVM's diagnostic command. */
  private static void printHistogram(int lines) {
    try {
      String histogram =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {null},
                      new String[] {String[].class.getName()});
      histogram.lines().limit(lines + 2L).forEach(System.out::println);
    } catch (JMException e) {
      System.out.println("no class histogram: " + e);
    }
  }

  /** Heap in use after several full collections, once it stops shrinking. */
  private static long heapUsedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      memory.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used && i >= 3) {
        return Math.min(now, used);
      }
      used = Math.min(now, used);
    }
    return used;
  }
}
