package io.mayfly.bench.iot;

import io.mayfly.bench.Guests;
import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.JitWarmUp;
import io.mayfly.bench.suite.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IoT stream: 10 000 sensor actors, each keeping a sliding window of its last 32 readings and
 * raising an alert on a reading more than 3 standard deviations off the window's mean ({@code
 * testdata/guests/c/sensor.c}). Five implementations in the same run:
 *
 * <ul>
 *   <li><b>Mayfly</b>: {@code sensor.wasm} on an embedded node with one worker per core ({@link
 *       MayflyFleet});
 *   <li><b>Pekko typed</b>, the same logic as plain-Java actors ({@link PekkoSensor}, {@link
 *       Window}), with a dispatcher sized to the cores and with Pekko's default one ({@link
 *       PekkoFleet});
 *   <li><b>Node.js/V8</b>: the same {@code sensor.wasm} on node's one thread ({@link V8Host});
 *   <li><b>bare loop</b>: the logic in a plain loop on one thread, the ceiling ({@link BareLoop}).
 * </ul>
 *
 * A fixed verification stream runs through all of them first; their alerts and ask replies must be
 * identical, bit for bit, to the bare loop's, or the workload fails naming the one that differs.
 * Then, with 10 000 sensors: saturation throughput (medians of repetitions, more for Pekko, whose
 * throughput is bimodal), the latency of sampled ask turns at saturation and in paced runs at 50 %
 * and 90 % of each implementation's own saturation rate, and the saturation throughput against the
 * number of sensors; tables and plots by {@link IotReport}.
 */
public final class IotWorkload implements Workload {
  /** The number of sensors of the main measurements. */
  static final int SENSORS = 10_000;

  static final int VERIFICATION_SENSORS = 1_000;
  static final int VERIFICATION_ROUNDS = 40;
  private static final long SEED = 64_32_8L;

  /** The slices of the first warm-up, after each of which the JIT's work is looked at. */
  static final long WARM_UP_SLICE_NANOS = 500_000_000L;

  /** The JIT counts as settled once it compiled for less than this share of a slice. */
  static final double JIT_QUIET_SHARE = 0.02;

  /** How long and how often, in each mode. */
  record Plan(
      int reps,
      int pekkoReps,
      long firstWarmUpNanos,
      long maxFirstWarmUpNanos,
      long warmUpNanos,
      long windowNanos,
      long pacedNanos,
      long pacedWarmUpNanos,
      int pacedReps,
      List<Integer> curve,
      int curveReps,
      long curveWarmUpNanos,
      long curveWindowNanos) {
    /** The first warm-up: at least {@link #firstWarmUpNanos}, until the JIT settles. */
    JitWarmUp warmUp() {
      return new JitWarmUp(firstWarmUpNanos, maxFirstWarmUpNanos, JIT_QUIET_SHARE);
    }

    static Plan of(Bench bench) {
      return new Plan(
          bench.reps(),
          2 * bench.reps() - 1,
          seconds(bench.pick(2.0, 3.0)),
          seconds(bench.pick(15.0, 30.0)),
          seconds(bench.pick(0.4, 0.5)),
          seconds(bench.pick(0.5, 1.5)),
          seconds(bench.pick(0.8, 2.0)),
          seconds(bench.pick(0.2, 0.5)),
          bench.pick(1, 2),
          bench.quick() ? List.of(100, 1_000, SENSORS) : List.of(100, 1_000, SENSORS, 100_000),
          bench.pick(1, 3),
          seconds(bench.pick(0.1, 0.3)),
          seconds(bench.pick(0.3, 1.0)));
    }

    private static long seconds(double s) {
      return (long) (s * 1e9);
    }
  }

  @Override
  public String name() {
    return "iot";
  }

  @Override
  public String title() {
    return "IoT stream: 10 000 sensor actors";
  }

  @Override
  public void run(Bench bench) throws Exception {
    Plan plan = Plan.of(bench);
    int cores = Runtime.getRuntime().availableProcessors();
    TimingTable table = TimingTable.generate(SEED);
    VerificationStream stream =
        VerificationStream.generate(SEED, VERIFICATION_SENSORS, VERIFICATION_ROUNDS);
    try (var bare = new BareLoop(table);
        var mayfly = ActorDriven.mayfly(cores, table);
        var pekkoSized = ActorDriven.pekkoSized(cores, table);
        var pekkoDefault = ActorDriven.pekkoDefault(table);
        var v8 = V8Host.start(Guests.sensor(), table)) {
      var report = new IotReport(bench, plan, cores);
      report.describe(v8.version());
      bench.progress("verification stream: %d messages", stream.messages().size());
      Outcome agreed = agreedOutcome(bare, List.of(mayfly, pekkoSized, pekkoDefault, v8), stream);
      report.verified(stream, agreed);

      var results = new LinkedHashMap<Implementation, Results>();
      results.put(mayfly, new Results(mayfly.name(), plan.reps()));
      results.put(pekkoSized, new Results(pekkoSized.name(), plan.pekkoReps()));
      results.put(pekkoDefault, new Results(pekkoDefault.name(), plan.pekkoReps()));
      results.put(v8, new Results(v8.name(), plan.reps()));
      results.put(bare, new Results(bare.name(), plan.reps()));
      measure(bench, plan, results);
      results.forEach((impl, r) -> r.refusals = impl.refusals());
      report.results(
          results.get(mayfly),
          results.get(pekkoSized),
          results.get(pekkoDefault),
          results.get(v8),
          results.get(bare));
    }
  }

  /**
   * Runs the verification stream through the reference (the bare loop) and every other
   * implementation; all must give the same outcome, bit for bit.
   *
   * @throws IllegalStateException naming the first implementation that differs, and how
   */
  static Outcome agreedOutcome(
      Implementation reference, List<Implementation> others, VerificationStream stream) {
    Outcome expected = reference.verify(stream);
    if (expected.alerts().isEmpty()) {
      throw new IllegalStateException("the verification stream raised no alert: it checks nothing");
    }
    for (Implementation other : others) {
      Optional<String> difference = other.verify(stream).firstDifference(expected);
      if (difference.isPresent()) {
        throw new IllegalStateException(
            other.name()
                + " disagrees with the "
                + reference.name()
                + " on the verification stream: "
                + difference.get());
      }
    }
    return expected;
  }

  private static void measure(Bench bench, Plan plan, Map<Implementation, Results> results) {
    results.keySet().forEach(i -> fill(bench, i, SENSORS));
    // Every implementation runs at full speed, unmeasured, before the repetitions, until the JIT
    // has compiled its code (Mayfly's Wasm code, the runtime's and the Java peers' code): C2 takes
    // seconds of a core for it on 2 cores.
    for (Implementation impl : results.keySet()) {
      bench.progress("%s: warm-up at saturation until the JIT settles", impl.name());
      JitWarmUp.Outcome warm =
          plan.warmUp().run(nanos -> impl.saturate(SENSORS, 0, nanos), WARM_UP_SLICE_NANOS);
      bench.progress(
          "%s: warmed up in %.1f s, %.1f s of JIT compilation%s",
          impl.name(),
          warm.seconds(),
          warm.compileMillis() / 1e3,
          warm.settled() ? "" : " (the JIT had not settled)");
    }
    saturation(bench, plan, results);
    results.forEach(
        (impl, r) -> {
          double rate = r.medianRate();
          r.half.perSecond = rate / 2;
          r.ninety.perSecond = rate * 0.9;
          // The paced code path (the driver's, or the loop's) is compiled before it is measured.
          bench.progress("%s: paced warm-up", impl.name());
          impl.paced(SENSORS, r.half.perSecond, plan.pacedWarmUpNanos());
          for (int rep = 0; rep < plan.pacedReps(); rep++) {
            for (Results.Paced p : List.of(r.half, r.ninety)) {
              bench.progress("%s: paced at %.0f turns/s", impl.name(), p.perSecond);
              collectGarbage();
              p.runs.add(impl.paced(SENSORS, p.perSecond, plan.pacedNanos()));
            }
          }
        });
    for (int sensors : plan.curve()) {
      results.forEach(
          (impl, r) -> {
            if (sensors == SENSORS) {
              r.curve.put(sensors, r.rates());
              return;
            }
            fill(bench, impl, sensors);
            double[] rates = new double[plan.curveReps()];
            for (int rep = 0; rep < rates.length; rep++) {
              bench.progress("%s: %d sensors, repetition %d", impl.name(), sensors, rep + 1);
              rates[rep] =
                  impl.saturate(sensors, plan.curveWarmUpNanos(), plan.curveWindowNanos()).rate();
            }
            r.curve.put(sensors, rates);
          });
    }
  }

  /**
   * A full collection before a measured run: the implementations share this JVM, and without it one
   * pays in its pauses for what the others left (in a quick run young pauses reached 25-90 ms,
   * copying some 50 MB of the others' objects each time; Mayfly's own are about 4 ms).
   */
  private static void collectGarbage() {
    System.gc();
  }

  private static void fill(Bench bench, Implementation impl, int sensors) {
    bench.progress("%s: %d sensors, filling their windows", impl.name(), sensors);
    impl.fill(sensors);
  }

  /** The saturation repetitions, interleaved between the implementations (noise hits all alike). */
  private static void saturation(Bench bench, Plan plan, Map<Implementation, Results> results) {
    int rounds = results.values().stream().mapToInt(r -> r.reps).max().orElse(0);
    for (int rep = 0; rep < rounds; rep++) {
      for (var e : results.entrySet()) {
        Results r = e.getValue();
        if (rep < r.reps) {
          bench.progress("%s: saturation, repetition %d of %d", r.name, rep + 1, r.reps);
          collectGarbage();
          r.saturation.add(e.getKey().saturate(SENSORS, plan.warmUpNanos(), plan.windowNanos()));
        }
      }
    }
  }
}
