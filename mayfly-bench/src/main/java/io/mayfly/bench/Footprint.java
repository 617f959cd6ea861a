package io.mayfly.bench;

import io.mayfly.bench.suite.ProbeLine;
import io.mayfly.bench.suite.Processes;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The footprint probe: what idle actors cost in heap and RSS, what activating them costs, and how
 * long the node takes to expire them. Run in a JVM of its own (the footprint workload starts one
 * per measurement); prints a human summary and one {@link ProbeLine} ({@code mayfly-probe footprint
 * ...} or {@code mayfly-probe idle-node ...}).
 *
 * <p>{@code Footprint [actors] [key=value...]} (the default mode):
 *
 * <ol>
 *   <li><b>Idle actors, workers node.</b> A node with its default workers (the cores) deploys
 *       {@code holder.wat} with a TTL of {@code ttl-ms} after write. One thread, as an ingress
 *       thread would, tells {@code actors} (default 1 000 000) unseen actors one {@code
 *       payload-bytes} (default 100) message each, which each keeps as its state (key {@code p}),
 *       and waits until all turns ran: the activation time. Then the heap in use after full
 *       collections is compared with the heap before the first message (idle means no mailbox, no
 *       instance: only the state in the store), and the process RSS is read.
 *   <li><b>Expiry.</b> From the moment the last actor's TTL has passed, the node's own housekeeping
 *       on the system clock drops them; the time until {@code stats().storedActors()} is 0, and
 *       until the heap is back after a full collection.
 *   <li><b>Synchronous activation.</b> A new synchronous node (each turn runs inside its {@code
 *       tell}) activates {@code sync-actors} (default as many) unseen actors the same way: the
 *       runtime's cost on one thread, without scheduling.
 * </ol>
 *
 * <p>{@code state-budget} is the node's state budget in bytes, or {@code default} (a quarter of the
 * heap); over it the node evicts actors, which the probe reports. {@code Footprint idle} starts a
 * node with the holder type deployed and no actors, and reports its heap and RSS after full
 * collections.
 *
 * <p>For example {@code java -Xmx1g -XX:-DontCompileHugeMethods -cp
 * mayfly-bench/target/benchmarks.jar io.mayfly.bench.Footprint}. With {@code -D}{@value
 * #HISTOGRAM_PROPERTY}{@code =N} it also prints the N classes that hold the most heap while the
 * actors are idle, to see where an idle actor's bytes go.
 */
public final class Footprint {
  /** The result line of the default mode. */
  public static final String PROBE = "footprint";

  /** The result line of {@code idle}. */
  public static final String IDLE_PROBE = "idle-node";

  /**
   * The exit status when the actors' TTL passed before their heap was measured (the machine was
   * slower than the TTL allows): run again with a longer {@code ttl-ms}.
   */
  public static final int EXIT_TTL_TOO_SHORT = 3;

  /** System property: how many lines of the class histogram to print (default none). */
  static final String HISTOGRAM_PROPERTY = "mayfly.bench.histogram";

  private static final String TYPE = "holder";

  /** The longest the probe waits for the node to expire the actors once their TTL passed. */
  private static final Duration EXPIRY_TIMEOUT = Duration.ofMinutes(2);

  /** How often the probe looks at the node's stored actors while they expire. */
  private static final long EXPIRY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private Footprint() {}

  /**
   * What to measure, from {@code key=value} arguments.
   *
   * @param stateBudgetBytes the node's state budget; 0 for the node's default
   */
  public record Settings(
      int actors, int payloadBytes, Duration ttl, int syncActors, long stateBudgetBytes) {
    /** The settings' names as arguments, with their defaults. */
    static final Map<String, String> DEFAULTS =
        Map.of(
            "actors", "1000000",
            "payload-bytes", "100",
            "ttl-ms", "8000",
            "sync-actors", "-1",
            "state-budget", "default");

    /** Reads {@code key=value} arguments; {@code sync-actors} defaults to {@code actors}. */
    public static Settings parse(String... args) {
      var values = new LinkedHashMap<>(DEFAULTS);
      for (String arg : args) {
        int eq = arg.indexOf('=');
        String key = eq < 0 ? arg : arg.substring(0, eq);
        if (eq < 0 || !DEFAULTS.containsKey(key)) {
          throw new IllegalArgumentException(
              "unknown argument '"
                  + arg
                  + "'; expected key=value with key in "
                  + DEFAULTS.keySet());
        }
        values.put(key, arg.substring(eq + 1));
      }
      int actors = positive(values, "actors");
      int sync = Integer.parseInt(values.get("sync-actors"));
      String budget = values.get("state-budget");
      return new Settings(
          actors,
          positive(values, "payload-bytes"),
          Duration.ofMillis(positive(values, "ttl-ms")),
          sync < 0 ? actors : sync,
          budget.equals("default") ? 0 : Long.parseLong(budget));
    }

    /** The arguments that give these settings. */
    public String[] args() {
      return new String[] {
        "actors=" + actors,
        "payload-bytes=" + payloadBytes,
        "ttl-ms=" + ttl.toMillis(),
        "sync-actors=" + syncActors,
        "state-budget=" + (stateBudgetBytes == 0 ? "default" : Long.toString(stateBudgetBytes))
      };
    }

    private static int positive(Map<String, String> values, String key) {
      int n = Integer.parseInt(values.get(key));
      if (n <= 0) {
        throw new IllegalArgumentException(key + " must be positive, was " + n);
      }
      return n;
    }

    Mayfly.Builder node() {
      Mayfly.Builder b = Mayfly.builder();
      return stateBudgetBytes > 0 ? b.stateBudgetBytes(stateBudgetBytes) : b;
    }
  }

  /** {@code [actors|idle] [key=value...]}: see the class comment. */
  public static void main(String[] args) {
    Logs.quiet();
    if (args.length > 0 && args[0].equals("idle")) {
      idleNode(Settings.parse(Arrays.copyOfRange(args, 1, args.length))).print();
    } else {
      int from = args.length > 0 && args[0].equals("actors") ? 1 : 0;
      try {
        measure(Settings.parse(Arrays.copyOfRange(args, from, args.length))).print();
      } catch (TtlTooShortException e) {
        System.err.println(e.getMessage());
        System.exit(EXIT_TTL_TOO_SHORT);
      }
    }
  }

  /** The actors' TTL passed before their heap was measured. */
  static final class TtlTooShortException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TtlTooShortException(String message) {
      super(message);
    }
  }

  /** A node with the holder type deployed and no actors: its heap and RSS after collections. */
  static ProbeLine idleNode(Settings s) {
    try (Mayfly node = s.node().build()) {
      node.deploy(TYPE, Guests.holder());
      long heap = heapUsedAfterGc();
      long rss = Processes.ownRssBytes();
      System.out.printf(
          "idle node: heap used after GC %d MiB, RSS %d MiB, heap max %d MiB%n",
          heap >> 20, rss >> 20, Runtime.getRuntime().maxMemory() >> 20);
      return ProbeLine.named(IDLE_PROBE)
          .put("heap-max", Runtime.getRuntime().maxMemory())
          .put("heap-used", heap)
          .put("rss", rss)
          .put("workers", Runtime.getRuntime().availableProcessors());
    }
  }

  /** The default mode: idle actors and their expiry, then synchronous activation. */
  static ProbeLine measure(Settings s) {
    byte[] payload = new byte[s.payloadBytes()];
    Arrays.fill(payload, (byte) 'x');
    var line =
        ProbeLine.named(PROBE)
            .put("actors", s.actors())
            .put("payload-bytes", s.payloadBytes())
            .put("heap-max", Runtime.getRuntime().maxMemory())
            .put("workers", Runtime.getRuntime().availableProcessors())
            .put("ttl-ms", s.ttl().toMillis());
    idleActorsAndExpiry(s, payload, line);
    synchronousActivation(s, payload, line);
    return line;
  }

  private static void idleActorsAndExpiry(Settings s, byte[] payload, ProbeLine line) {
    var config = TypeConfig.builder().ttl(Ttl.afterWrite(s.ttl())).build();
    try (Mayfly node = s.node().build()) {
      node.deploy(TYPE, Guests.holder(), config);
      warmUp(node, payload);
      long heapBefore = heapUsedAfterGc();
      long start = System.nanoTime();
      Activations.Timing activation = Activations.activateAll(node, TYPE, s.actors(), payload);
      long end = System.nanoTime();
      // One full collection: nothing else runs now, and a second would take most of a second
      // more of the TTL.
      long heapAfter = settledHeap(0).bytes();
      long rss = Processes.ownRssBytes();
      NodeStats idle = node.stats();
      printHistogram(Integer.getInteger(HISTOGRAM_PROPERTY, 0));
      long ttl = s.ttl().toNanos();
      if (idle.expirations() > 0 || System.nanoTime() - (start + ttl) >= 0) {
        throw new TtlTooShortException(
            "the actors' TTL of "
                + s.ttl().toMillis()
                + " ms passed before their heap was measured (activation took "
                + activation.wallNanos() / 1_000_000
                + " ms): run the probe with a longer ttl-ms");
      }
      line.put("heap-before", heapBefore)
          .put("heap-after", heapAfter)
          .put("rss-after", rss)
          .put("stored-actors", idle.storedActors())
          .put("state-bytes", idle.stateBytes())
          .put("evictions", idle.evictions())
          .put("activation-nanos", activation.wallNanos())
          .put("activation-cpu-nanos", activation.cpuNanos());
      System.out.printf(
          "%d actors, %d-byte payloads, heap max %d MiB, %d workers%n",
          s.actors(), s.payloadBytes(), Runtime.getRuntime().maxMemory() >> 20, cpus());
      System.out.printf(
          "activation (workers node, one ingress thread): %.2f us per actor, %.2f us CPU%n",
          activation.wallNanos() / 1e3 / s.actors(), activation.cpuNanos() / 1e3 / s.actors());
      System.out.printf(
          "heap used after GC: before=%d MiB after=%d MiB, %d bytes per idle actor; RSS %d MiB%n",
          heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) / s.actors(), rss >> 20);
      System.out.printf("stats when idle: %s%n", idle);
      expire(node, end + ttl, line);
    }
  }

  /**
   * Waits for the last actor's TTL to pass ({@code lastDeadline}: the last turn committed before
   * it), then for the node's housekeeping to drop them all, then for the heap to come back.
   */
  private static void expire(Mayfly node, long lastDeadline, ProbeLine line) {
    for (long left; (left = lastDeadline - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
    long giveUp = lastDeadline + EXPIRY_TIMEOUT.toNanos();
    NodeStats stats;
    while ((stats = node.stats()).storedActors() > 0) {
      if (System.nanoTime() - giveUp > 0) {
        throw new IllegalStateException(
            stats.storedActors()
                + " actors are still stored "
                + EXPIRY_TIMEOUT
                + " after their TTL passed: "
                + stats);
      }
      LockSupport.parkNanos(EXPIRY_POLL_NANOS);
    }
    long none = System.nanoTime();
    Heap heap = settledHeap(2);
    long released = heap.reachedNanos();
    stats = node.stats();
    line.put("expiry-nanos", none - lastDeadline)
        .put("released-nanos", released - lastDeadline)
        .put("heap-after-expiry", heap.bytes())
        .put("stored-after-expiry", stats.storedActors())
        .put("state-bytes-after-expiry", stats.stateBytes())
        .put("expirations", stats.expirations());
    System.out.printf(
        "expiry: none stored %.1f ms after the last TTL passed, heap back to %d MiB %.1f ms after"
            + " it; %d expirations%n",
        (none - lastDeadline) / 1e6,
        heap.bytes() >> 20,
        (released - lastDeadline) / 1e6,
        stats.expirations());
  }

  private static void synchronousActivation(Settings s, byte[] payload, ProbeLine line) {
    heapUsedAfterGc(); // the previous node's actors are garbage: not this node's work to collect
    var config = TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofHours(1))).build();
    try (Mayfly node = s.node().synchronous(true).build()) {
      node.deploy(TYPE, Guests.holder(), config);
      warmUp(node, payload);
      Activations.Timing activation = Activations.activateAll(node, TYPE, s.syncActors(), payload);
      line.put("sync-actors", s.syncActors())
          .put("sync-activation-nanos", activation.wallNanos())
          .put("sync-activation-cpu-nanos", activation.cpuNanos())
          .put("sync-stored-actors", node.stats().storedActors());
      System.out.printf(
          "activation (synchronous node): %.2f us per actor, %.2f us CPU (%d actors)%n",
          activation.wallNanos() / 1e3 / s.syncActors(),
          activation.cpuNanos() / 1e3 / s.syncActors(),
          s.syncActors());
    }
  }

  /**
   * Instantiates and pools a module and loads the code of a turn, outside the measurement, on a
   * type of its own that is undeployed again (so it leaves no actor behind).
   */
  private static void warmUp(Mayfly node, byte[] payload) {
    node.deploy("warmup", Guests.holder());
    Activations.activate(node, Activations.fresh("warmup", 0, 1), payload);
    node.undeploy("warmup");
  }

  private static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The heap's class histogram after a full collection, from the JVM's diagnostic command. */
  private static void printHistogram(int lines) {
    if (lines <= 0) {
      return;
    }
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

  /** Heap in use after full collections, once one more no longer shrinks it. */
  static long heapUsedAfterGc() {
    return settledHeap(1).bytes();
  }

  /**
   * The heap in use after full collections and when it got there.
   *
   * @param bytes the least heap in use seen after a full collection
   * @param reachedNanos {@link System#nanoTime()} at the end of the collection that first saw it
   */
  record Heap(long bytes, long reachedNanos) {}

  /**
   * Collects until {@code stableRounds} full collections in a row no longer shrink the heap, or
   * once for 0 (with 1 M live actors a full collection takes most of a second; more rounds while
   * the node's housekeeping is still releasing what it dropped).
   */
  static Heap settledHeap(int stableRounds) {
    long least = Long.MAX_VALUE;
    long reached = 0;
    int stable = 0;
    for (int i = 0; i < 12 && (i == 0 || stable < stableRounds); i++) {
      MEMORY.gc();
      long now = MEMORY.getHeapMemoryUsage().getUsed();
      if (now < least) {
        least = now;
        reached = System.nanoTime();
        stable = 0;
      } else {
        stable++;
      }
    }
    return new Heap(least, reached);
  }
}
