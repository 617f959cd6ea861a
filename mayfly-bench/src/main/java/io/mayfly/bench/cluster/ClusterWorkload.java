package io.mayfly.bench.cluster;

import io.mayfly.bench.iot.IotOnNodes;
import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import io.mayfly.bench.suite.Workload;
import io.mayfly.cluster.ClusterMember;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Cluster mode on one machine, with the default cluster settings (one synchronous backup, heartbeat
 * 1 s, failure timeout 5 s, 271 partitions) and one worker per core on each member:
 *
 * <ol>
 *   <li>the IoT workload ({@code sensor.wasm} and the {@code iot} workload's driver and readings,
 *       over fewer sensors) on an embedded node, on a cluster of one member and on three members in
 *       this JVM, repetitions interleaved: turns per second and process CPU per turn;
 *   <li>the latency of sequential asks from a member to a sensor it runs and to one another member
 *       runs;
 *   <li>failover: a member in a child JVM killed with {@code SIGKILL}, to the first answered ask of
 *       a sensor it ran, asked through a surviving member;
 *   <li>hand-over: 10 000 sensors with state on two members, a third joins; until the partitions
 *       settle and every sensor has answered an ask, the moved ones from the new member, with its
 *       window intact.
 * </ol>
 */
public final class ClusterWorkload implements Workload {
  /** Sensors of the hand-over measurement. */
  static final int HAND_OVER_SENSORS = 10_000;

  /** Sensors of a killed member that are watched for their failover. */
  static final int FAILOVER_SENSORS = 4;

  /**
   * The sensors' mailboxes: large enough that no routed message meets a full one (a full mailbox
   * refuses a local tell to the driver, which sends it again, but a routed tell is refused on its
   * owner, out of the driver's sight), the same for every configuration.
   */
  static final int MAILBOX = 65_536;

  /**
   * The sensors' turn deadline, far above a turn's microseconds: on a machine shared with other
   * work, a worker descheduled for a second (or a module compiled on a loaded member) must not fail
   * a turn of the throughput runs.
   */
  static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);

  /** Readings each watched sensor of a killed member holds. */
  static final int FAILOVER_READINGS = 3;

  /** The probe actor of the latency measurement: its payloads are scripts ({@code inc:n}). */
  static final String PROBE = "probe";

  private static final String PROBE_MODULE = "testdata/guests/wasm/probe.wasm";

  private static final long FAILOVER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** How long and how often, in each mode. */
  record Plan(
      int reps,
      int sensors,
      long firstWarmUpNanos,
      long warmUpNanos,
      long windowNanos,
      int asks,
      int failoverReps,
      int handOverReps) {
    static Plan of(Bench bench) {
      return new Plan(
          bench.reps(),
          1_000,
          seconds(bench.pick(2.0, 3.0)),
          seconds(bench.pick(0.4, 0.5)),
          seconds(bench.pick(0.5, 2.0)),
          bench.pick(1_000, 3_000),
          bench.quick() ? 1 : bench.reps(),
          bench.quick() ? 1 : bench.reps());
    }

    private static long seconds(double s) {
      return (long) (s * 1e9);
    }
  }

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String title() {
    return "Cluster: three members on one machine";
  }

  @Override
  public void run(Bench bench) throws Exception {
    Plan plan = Plan.of(bench);
    int cores = Runtime.getRuntime().availableProcessors();
    String name = "bench-" + ProcessHandle.current().pid();
    TypeConfig config =
        TypeConfig.builder().mailboxCapacity(MAILBOX).turnTimeout(TURN_TIMEOUT).build();
    bench
        .report()
        .text(
            "Cluster mode with its default settings: one synchronous backup of each actor's"
                + " state (a turn's outputs wait for it), heartbeat 1 s, failure timeout 5 s, 271"
                + " partitions; each member has one worker per core ("
                + cores
                + "), as `mayfly run` would, and all of them share this machine's cores. The sensor"
                + " type has mailboxes of "
                + MAILBOX
                + " messages and a turn deadline of "
                + TURN_TIMEOUT.toSeconds()
                + " s everywhere here, so that no routed message meets a full mailbox and no"
                + " descheduled worker fails a turn. The"
                + " JVM's common pool, where Hazelcast runs the callbacks of map operations, has "
                + ForkJoinPool.getCommonPoolParallelism()
                + " threads (`scripts/bench` asks for 2: with 1, Hazelcast starts a thread per"
                + " callback, and under this load some commits never completed).");
    try (Mayfly embedded = Mayfly.builder().workers(cores).build();
        LocalCluster one = LocalCluster.start(name + "-one", 1, cores);
        LocalCluster three = LocalCluster.start(name + "-three", 3, cores)) {
      IotOnNodes.deploy(embedded, config);
      IotOnNodes.deploy(one.node(0), config);
      IotOnNodes.deploy(three.node(0), config);
      Sensors.awaitDeployed(three.nodes());
      throughput(bench, plan, embedded, one, three);
      latency(bench, plan, three, Files.readAllBytes(bench.root().resolve(PROBE_MODULE)));
    }
    failover(bench, plan, name + "-failover", cores, config);
    handOver(bench, plan, name + "-handover", cores, config);
  }

  // ---- 1. the IoT workload --------------------------------------------------------------------

  private static void throughput(
      Bench bench, Plan plan, Mayfly embedded, LocalCluster one, LocalCluster three) {
    var names = List.of("embedded node", "cluster of 1 member", "cluster of 3 members, one JVM");
    var drivers = new ArrayList<IotOnNodes>();
    try {
      drivers.add(IotOnNodes.over(names.get(0), List.of(embedded)));
      drivers.add(IotOnNodes.over(names.get(1), one.nodes()));
      drivers.add(IotOnNodes.over(names.get(2), three.nodes()));
      for (int d = 0; d < drivers.size(); d++) {
        bench.progress("%s: %d sensors, filling their windows", names.get(d), plan.sensors());
        drivers.get(d).fill(plan.sensors());
        bench.progress("%s: warm-up at saturation", names.get(d));
        drivers.get(d).saturate(plan.sensors(), plan.firstWarmUpNanos(), plan.warmUpNanos());
      }
      double[][] rates = new double[drivers.size()][plan.reps()];
      double[][] cpu = new double[drivers.size()][plan.reps()];
      for (int rep = 0; rep < plan.reps(); rep++) {
        for (int d = 0; d < drivers.size(); d++) {
          bench.progress("%s: saturation, repetition %d of %d", names.get(d), rep + 1, plan.reps());
          System.gc();
          IotOnNodes.Run run =
              drivers.get(d).saturate(plan.sensors(), plan.warmUpNanos(), plan.windowNanos());
          rates[d][rep] = run.turnsPerSecond();
          cpu[d][rep] = run.cpuNanosPerTurn();
        }
      }
      var table =
          new Table(
              "IoT workload, " + plan.sensors() + " sensors, at saturation",
              "Mayfly",
              "turns/s",
              "range",
              "CPU per turn",
              "turns/s vs embedded",
              "CPU per turn vs embedded");
      double baseRate = Stats.median(rates[0]);
      double baseCpu = Stats.median(cpu[0]);
      for (int d = 0; d < drivers.size(); d++) {
        table.row(
            names.get(d),
            Stats.rate(Stats.median(rates[d])),
            Stats.rateRange(rates[d]),
            Stats.nanos(Stats.median(cpu[d])),
            Stats.ratio(Stats.median(rates[d]) / baseRate),
            Stats.ratio(Stats.median(cpu[d]) / baseCpu));
      }
      table.note(
          "Medians of "
              + plan.reps()
              + " windows of "
              + plan.windowNanos() / 1_000_000
              + " ms; CPU per turn is the whole process's CPU time (members, driver, GC, JIT)"
              + " over the turns of all members.");
      table.note(
          "One driver thread tells (and 1 in 100 times asks) the sensors round-robin; sensor i's"
              + " messages enter member i mod n, so on three members two in three are routed to"
              + " another member's owner.");
      table.note(
          "A cluster of one member has no other member to hold the backup its backupCount of 1"
              + " asks for: its commits complete without one, so it shows the cost of the"
              + " replicated state map and the output gate without a network round trip.");
      bench.report().table(table);
    } finally {
      drivers.forEach(IotOnNodes::close);
    }
  }

  // ---- 2. routed ask latency ------------------------------------------------------------------

  private static void latency(Bench bench, Plan plan, LocalCluster three, byte[] probe) {
    List<Mayfly> nodes = three.nodes();
    nodes.getFirst().deploy(PROBE, probe);
    Sensors.awaitDeployed(nodes, PROBE);
    // An ask that commits (the probe counts it in its state) and a read-only one (the sensor's).
    byte[] inc = "inc:n".getBytes(StandardCharsets.UTF_8);
    Address[] to = {
      Sensors.ownedBy(nodes, 0, PROBE, "latency-local-", inc),
      Sensors.ownedBy(nodes, 1, PROBE, "latency-routed-", inc),
      Sensors.ownedBy(nodes, 0, IotOnNodes.TYPE, "latency-local-", Sensors.READING),
      Sensors.ownedBy(nodes, 1, IotOnNodes.TYPE, "latency-routed-", Sensors.READING)
    };
    byte[][] payloads = {inc, inc, Sensors.READING, Sensors.READING};
    Mayfly entry = nodes.getFirst();
    bench.progress("ask latency: warm-up");
    Histogram[] warm = new Histogram[to.length];
    timeAsks(entry, to, payloads, plan.asks(), warm);
    double[][] p50 = new double[to.length][plan.reps()];
    double[][] p99 = new double[to.length][plan.reps()];
    for (int rep = 0; rep < plan.reps(); rep++) {
      bench.progress("ask latency: repetition %d of %d", rep + 1, plan.reps());
      Histogram[] h = new Histogram[to.length];
      timeAsks(entry, to, payloads, plan.asks(), h);
      for (int k = 0; k < to.length; k++) {
        p50[k][rep] = h[k].getValueAtPercentile(50);
        p99[k][rep] = h[k].getValueAtPercentile(99);
      }
    }
    var table = new Table("Ask latency on three members", "ask", "p50", "p99", "p50 range");
    String[] labels = {
      "committing (probe inc:n), local",
      "committing (probe inc:n), routed",
      "read-only (sensor window), local",
      "read-only (sensor window), routed"
    };
    for (int k = 0; k < to.length; k++) {
      table.row(
          labels[k],
          Stats.nanos(Stats.median(p50[k])),
          Stats.nanos(Stats.median(p99[k])),
          Stats.nanos(Stats.min(p50[k])) + " .. " + Stats.nanos(Stats.max(p50[k])));
      if (k % 2 == 1) {
        table.row(
            "routed vs local",
            Stats.ratio(Stats.median(p50[k]) / Stats.median(p50[k - 1])),
            Stats.ratio(Stats.median(p99[k]) / Stats.median(p99[k - 1])),
            "");
      }
    }
    table.note(
        plan.asks()
            + " sequential asks of each kind per repetition, in turn, from member 0 through the"
            + " Java API, to an actor member 0 runs (local) and to one member 1 runs (routed);"
            + " medians of "
            + plan.reps()
            + " repetitions. A committing ask's reply waits for the backup of the actor's new"
            + " state on another member (the output gate); a read-only turn commits nothing and"
            + " its reply leaves at once.");
    bench.report().table(table);
  }

  /** Asks each actor {@code asks} times, one ask at a time, in turn; latencies into {@code h}. */
  private static void timeAsks(
      Mayfly entry, Address[] to, byte[][] payloads, int asks, Histogram[] h) {
    for (int k = 0; k < to.length; k++) {
      h[k] = Stats.latencyHistogram();
    }
    for (int i = 0; i < asks; i++) {
      for (int k = 0; k < to.length; k++) {
        long start = System.nanoTime();
        Sensors.call(entry, to[k], payloads[k]);
        h[k].recordValue(Math.max(1, System.nanoTime() - start));
      }
    }
  }

  // ---- 3. failover ----------------------------------------------------------------------------

  private static void failover(Bench bench, Plan plan, String name, int cores, TypeConfig config) {
    double[] first = new double[plan.failoverReps()];
    double[] all = new double[plan.failoverReps()];
    try (LocalCluster pair = LocalCluster.start(name, 2, cores)) {
      IotOnNodes.deploy(pair.node(0), config);
      Sensors.awaitDeployed(pair.nodes());
      for (int rep = 0; rep < plan.failoverReps(); rep++) {
        bench.progress("failover: repetition %d of %d", rep + 1, plan.failoverReps());
        try (MemberProcess child =
            MemberProcess.start(pair.name(), "child-" + rep, pair.seeds(), cores)) {
          pair.awaitSettled(3);
          List<Address> owned = ownedElsewhere(pair.nodes(), "failover-" + rep + "-");
          long killed = child.kill();
          long[] answered = awaitAnswers(pair.node(1), owned, killed);
          first[rep] = Stats.min(toDoubles(answered)) - killed;
          all[rep] = Stats.max(toDoubles(answered)) - killed;
        }
        pair.awaitSettled(2);
      }
    }
    var table = new Table("Failover after a member's SIGKILL", "until", "median", "range");
    table.row(
        "the first of its sensors answers",
        Stats.nanos(Stats.median(first)),
        Stats.nanos(Stats.min(first)) + " .. " + Stats.nanos(Stats.max(first)));
    table.row(
        "all " + FAILOVER_SENSORS + " of its sensors watched answer",
        Stats.nanos(Stats.median(all)),
        Stats.nanos(Stats.min(all)) + " .. " + Stats.nanos(Stats.max(all)));
    table.note(
        "Two members in this JVM and one in a child JVM, which is killed with SIGKILL; from the"
            + " signal, a surviving member asks "
            + FAILOVER_SENSORS
            + " sensors the child ran every "
            + RETRY_NANOS / 1_000_000
            + " ms until each answers with its window intact (the "
            + FAILOVER_READINGS
            + " readings it was told before the kill). Medians of "
            + plan.failoverReps()
            + " kills.");
    bench.report().table(table);
  }

  /**
   * Finds {@value #FAILOVER_SENSORS} sensors {@code prefix0, ...} that no node here runs, tells
   * each {@value #FAILOVER_READINGS} readings and waits until their windows hold them.
   */
  private static List<Address> ownedElsewhere(List<Mayfly> nodes, String prefix) {
    var owned = new ArrayList<Address>();
    for (int k = 0; owned.size() < FAILOVER_SENSORS; k++) {
      if (k >= 1_000) {
        throw new IllegalStateException("the child member runs none of 1 000 sensors " + prefix);
      }
      Address sensor = Sensors.sensor(prefix + k);
      if (Sensors.owner(nodes, nodes.getFirst(), sensor, Sensors.READING) < 0) {
        owned.add(sensor);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Address sensor : owned) {
      for (int r = 0; r < FAILOVER_READINGS; r++) {
        nodes.getFirst().tell(sensor, Sensors.READING);
      }
      while (Sensors.ask(nodes.getFirst(), sensor) != FAILOVER_READINGS) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(sensor + " did not take its readings within 30 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    return owned;
  }

  /**
   * Asks each sensor through {@code entry} every {@link #RETRY_NANOS} until it answers with the
   * {@value #FAILOVER_READINGS} readings it held; returns the {@link System#nanoTime()} at which
   * each first did.
   */
  private static long[] awaitAnswers(Mayfly entry, List<Address> sensors, long since) {
    var answered = new AtomicLongArray(sensors.size());
    var last = new AtomicReferenceArray<String>(sensors.size());
    var pending = new ArrayList<CompletableFuture<?>>();
    while (IntStream.range(0, sensors.size()).anyMatch(i -> answered.get(i) == 0)) {
      if (System.nanoTime() - since > FAILOVER_LIMIT_NANOS) {
        var seen = new StringBuilder();
        for (int i = 0; i < sensors.size(); i++) {
          seen.append(i == 0 ? "" : "; ")
              .append(sensors.get(i))
              .append(", last answer: ")
              .append(last.get(i));
        }
        throw new IllegalStateException(
            "sensors of the killed member did not answer with their window within 60 s: " + seen);
      }
      for (int i = 0; i < sensors.size(); i++) {
        if (answered.get(i) != 0) {
          continue;
        }
        int k = i;
        pending.add(
            entry
                .ask(sensors.get(i), Sensors.READING, Sensors.ASK_TIMEOUT)
                .toCompletableFuture()
                .handle(
                    (reply, failure) -> {
                      long now = System.nanoTime();
                      if (failure != null) {
                        last.set(k, String.valueOf(failure));
                      } else {
                        int count = IotOnNodes.windowCount(reply);
                        last.set(k, count + " readings");
                        if (count == FAILOVER_READINGS) {
                          answered.compareAndSet(k, 0, now);
                        }
                      }
                      return null;
                    }));
      }
      LockSupport.parkNanos(RETRY_NANOS);
    }
    // The retries still in flight finish (answered or timed out) before the next measurement.
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    return IntStream.range(0, sensors.size()).mapToLong(answered::get).toArray();
  }

  private static double[] toDoubles(long[] values) {
    return Arrays.stream(values).asDoubleStream().toArray();
  }

  // ---- 4. hand-over on a join -----------------------------------------------------------------

  private static void handOver(Bench bench, Plan plan, String name, int cores, TypeConfig config) {
    int reps = plan.handOverReps();
    double[] joined = new double[reps];
    double[] settled = new double[reps];
    double[] served = new double[reps];
    double[] moved = new double[reps];
    try (LocalCluster pair = LocalCluster.start(name, 2, cores)) {
      IotOnNodes.deploy(pair.node(0), config);
      Sensors.awaitDeployed(pair.nodes());
      bench.progress("hand-over: %d sensors get a reading", HAND_OVER_SENSORS);
      Sensors.tellEach(pair.node(0), "handover-", HAND_OVER_SENSORS);
      Sensors.awaitWindows(pair.node(0), "handover-", HAND_OVER_SENSORS, 1);
      for (int rep = 0; rep < reps; rep++) {
        bench.progress("hand-over: repetition %d of %d", rep + 1, reps);
        System.gc();
        long start = System.nanoTime();
        ClusterMember third = pair.join();
        joined[rep] = System.nanoTime() - start;
        pair.awaitSettled(3);
        settled[rep] = System.nanoTime() - start;
        long before = third.node().stats().turns();
        String lost = Sensors.sweep(pair.node(0), "handover-", HAND_OVER_SENSORS, 1);
        if (lost != null) {
          throw new IllegalStateException("after the hand-over " + lost);
        }
        served[rep] = System.nanoTime() - start;
        moved[rep] = third.node().stats().turns() - before;
        if (moved[rep] == 0) {
          throw new IllegalStateException("the joining member took over none of the sensors");
        }
        // It leaves again (a graceful hand-over back), so the next repetition starts alike.
        pair.leave();
        pair.awaitSettled(2);
      }
    }
    var table =
        new Table(
            "Hand-over of " + String.format("%,d", HAND_OVER_SENSORS) + " sensors on a join",
            "from the join until",
            "median",
            "range");
    table.row(
        "ClusterMember.join returns",
        Stats.nanos(Stats.median(joined)),
        Stats.nanos(Stats.min(joined)) + " .. " + Stats.nanos(Stats.max(joined)));
    table.row(
        "the partitions have settled",
        Stats.nanos(Stats.median(settled)),
        Stats.nanos(Stats.min(settled)) + " .. " + Stats.nanos(Stats.max(settled)));
    table.row(
        "every sensor answered, the moved ones ("
            + String.format("%,.0f", Stats.median(moved))
            + ") from the new member",
        Stats.nanos(Stats.median(served)),
        Stats.nanos(Stats.min(served)) + " .. " + Stats.nanos(Stats.max(served)));
    table.note(
        "Two members in this JVM hold "
            + HAND_OVER_SENSORS
            + " sensors with a reading in its window each (264 bytes of state); a third member starts in this JVM and"
            + " joins. Settled: every member sees three, the partition table covers every"
            + " partition, each member serves exactly its share and no backup is outstanding. Then"
            + " member 0 asks every sensor for its window (256 asks in flight) and each must answer"
            + " with its reading intact. The new member then leaves again before the next of "
            + reps
            + " repetitions (medians).");
    bench.report().table(table);
  }
}
