package io.mayfly.bench.iot;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Charts;
import io.mayfly.bench.suite.Report;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The IoT workload's text, tables and plots. */
final class IotReport {
  /** DESIGN.md's quality bars for this workload. */
  static final double TURNS_BAR = 5e6;

  static final double HALF_LOAD_P99_BAR_NANOS = 1e6;
  static final double PEKKO_BAR = 0.5;
  static final double V8_BAR = 1.0;

  private final Bench bench;
  private final Report report;
  private final IotWorkload.Plan plan;
  private final int cores;

  IotReport(Bench bench, IotWorkload.Plan plan, int cores) {
    this.bench = bench;
    this.report = bench.report();
    this.plan = plan;
    this.cores = cores;
  }

  void describe(String nodeVersion) {
    report.text(
        "The sensor actor of testdata/guests/c/sensor.c: per 64-byte reading it loads its window"
            + " (32 values, 264 bytes of state), computes the mean and the population standard"
            + " deviation, publishes an alert (x, mean) to alerts/<id> when the window holds at"
            + " least 8 values and the reading is more than 3 deviations off the mean, then inserts"
            + " the reading and writes the window back; an ask replies the mean and the count."
            + " Five implementations in the same run: Mayfly (sensor.wasm on an embedded node with "
            + cores
            + " workers, alerts through node.subscribe(\"alerts/#\")); Pekko typed "
            + PekkoFleet.version()
            + " (the same logic as plain-Java actors, window in memory, alerts to a collector"
            + " actor), once with a fork-join dispatcher of "
            + cores
            + " threads and once with Pekko's default dispatcher (fork-join, "
            + PekkoFleet.defaultDispatcherThreads(cores)
            + " threads here); Node.js "
            + nodeVersion
            + "/V8 (the same sensor.wasm instantiated by a JavaScript host that implements the"
            + " Mayfly host functions, state in a JavaScript Map, one thread); and the bare loop"
            + " (the Java logic over an array of windows, one thread: the ceiling). The Java"
            + " implementations share one class for the window logic and repeat the C code's"
            + " floating-point operations in its order.");
    report.text(
        "Throughput: readings offered as fast as each implementation takes them to "
            + count(IotWorkload.SENSORS)
            + " sensors round-robin, 1 message in 100 an ask, windows full before measuring; "
            + "turns handled in a "
            + seconds(plan.windowNanos())
            + " window after a "
            + seconds(plan.warmUpNanos())
            + " warm-up; before the first repetition each runs at full speed unmeasured until the"
            + " JIT has compiled its code (until the JVM's compilers worked less than "
            + Math.round(IotWorkload.JIT_QUIET_SHARE * 100)
            + " % of the last half second), at least "
            + seconds(plan.firstWarmUpNanos())
            + " and at most "
            + seconds(plan.maxFirstWarmUpNanos())
            + ". Mayfly and Pekko are fed by one driver thread that keeps at most two"
            + " rounds (one message per sensor each, at least "
            + count(ActorDriven.MIN_IN_FLIGHT)
            + " messages) in flight, parking until one round is done (Mayfly's sensor type has the"
            + " default configuration, mailboxes of 1,024 messages); on "
            + cores
            + " cores that thread is part of the cost, for both. Node.js/V8 and the bare loop run"
            + " the stream to completion on their one thread.");
    report.text(
        "Latency is that of the asks (1 message in 100, which reply without inserting): for"
            + " Mayfly and Pekko from the ask's send (its scheduled time in paced runs) to the"
            + " asker's receipt of the reply; for Node.js/V8 and the bare loop from the same"
            + " moment to the end of the ask's turn. At saturation the actors' figure is mostly"
            + " the wait behind up to two rounds queued ahead; the loops' is the turn alone, since"
            + " a loop takes a message when it is ready. Paced runs send at a fixed rate (50 % and"
            + " 90 % of the implementation's own median saturation rate) for "
            + seconds(plan.pacedNanos())
            + " each, after an unmeasured paced warm-up of "
            + seconds(plan.pacedWarmUpNanos())
            + "; a message's latency counts from its scheduled time, so a sender that falls"
            + " behind is not excused (no coordinated omission). The actor drivers park when"
            + " nothing is due, so they send in small bursts (some tens of microseconds); the loops"
            + " spin. Repetitions at saturation: "
            + plan.reps()
            + ", Pekko "
            + plan.pekkoReps()
            + " (its throughput is bimodal on this kind of machine); paced: "
            + plan.pacedReps()
            + " per rate. Medians over repetitions. The implementations share one JVM, so each"
            + " measured run starts after a full garbage collection: otherwise one pays in its GC"
            + " pauses for the objects the others keep.");
  }

  void verified(VerificationStream stream, Outcome agreed) {
    long asks = stream.messages().stream().filter(VerificationStream.Message::ask).count();
    report.text(
        String.format(
            Locale.ROOT,
            "Verified before timing: a seeded stream of %d messages (%d rounds of one reading to"
                + " each of %d fresh sensors, normal around 20 with %.0f %% outliers, and %d"
                + " asks) gave %d alerts and %d ask replies, identical bit for bit in all five"
                + " implementations.",
            stream.messages().size(),
            IotWorkload.VERIFICATION_ROUNDS,
            stream.sensors(),
            VerificationStream.OUTLIER_RATE * 100,
            asks,
            agreed.alerts().size(),
            agreed.replies().size()));
  }

  /** The tables and plots, with the implementations in this order. */
  void results(Results mayfly, Results pekkoSized, Results pekkoDefault, Results v8, Results bare)
      throws IOException {
    List<Results> all = List.of(mayfly, pekkoSized, pekkoDefault, v8, bare);
    throughput(all);
    latency(all);
    bars(mayfly, pekkoSized, pekkoDefault, v8, bare);
    curve(all);
    plots(all);
  }

  private void throughput(List<Results> results) {
    var table =
        new Table(
            "Saturation throughput, " + count(IotWorkload.SENSORS) + " sensors (turns/s)",
            "implementation",
            "median",
            "[min .. max]",
            "reps",
            "CPU per turn",
            "on Mayfly workers");
    for (Results r : results) {
      double workers = r.median(Saturation::workerCpuNanosPerTurn);
      table.row(
          r.name,
          Stats.rate(r.medianRate()),
          "[" + Stats.rateRange(r.rates()) + "]",
          r.saturation.size(),
          Stats.nanos(r.median(Saturation::cpuNanosPerTurn)),
          Double.isNaN(workers) ? "" : Stats.nanos(workers));
    }
    table.note(
        "CPU per turn: CPU time of the whole process that runs the turns (user + system) over the"
            + " window, divided by its turns; for Mayfly and Pekko it includes the driver thread,"
            + " for the Java ones the JVM's other threads (GC, JIT, the idle peers), for Node.js/V8"
            + " the node process. On a shared machine it is steadier than the rate.");
    report.table(table);
  }

  private void latency(List<Results> results) {
    var table =
        new Table(
            "Ask turn latency, " + count(IotWorkload.SENSORS) + " sensors",
            "implementation",
            "saturated p50",
            "p99",
            "50 % load",
            "p50",
            "p99",
            "p99.9",
            "90 % load",
            "p50",
            "p99",
            "p99.9");
    for (Results r : results) {
      table.row(
          r.name,
          Stats.nanos(r.saturationPercentile(50)),
          Stats.nanos(r.saturationPercentile(99)),
          Stats.rate(r.half.perSecond),
          Stats.nanos(r.half.percentile(50)),
          Stats.nanos(r.half.percentile(99)),
          Stats.nanos(r.half.percentile(99.9)),
          Stats.rate(r.ninety.perSecond),
          Stats.nanos(r.ninety.percentile(50)),
          Stats.nanos(r.ninety.percentile(99)),
          Stats.nanos(r.ninety.percentile(99.9)));
    }
    table.note(
        "Loads are in turns/s, 50 % and 90 % of each implementation's own median saturation rate;"
            + " percentiles are medians over the repetitions.");
    report.table(table);
  }

  private void bars(
      Results mayfly, Results pekkoSized, Results pekkoDefault, Results v8, Results bare) {
    double rate = mayfly.medianRate();
    double p99 = mayfly.half.percentile(99);
    var table =
        new Table(
            "Mayfly against the design bars and its peers",
            "figure",
            "measured",
            "[range]",
            "bar",
            "bar met");
    table.row(
        "Mayfly turns/s, " + count(IotWorkload.SENSORS) + " sensors, " + cores + " cores",
        Stats.rate(rate),
        "[" + Stats.rateRange(mayfly.rates()) + "]",
        "≥ " + Stats.rate(TURNS_BAR),
        met(rate >= TURNS_BAR));
    table.row(
        "Mayfly p99 ask latency at half load",
        Stats.nanos(p99),
        "",
        "≤ " + Stats.nanos(HALF_LOAD_P99_BAR_NANOS),
        met(p99 <= HALF_LOAD_P99_BAR_NANOS));
    table.row(ratioRow("Mayfly / " + pekkoSized.name, mayfly, pekkoSized, "≥ 0.5x", PEKKO_BAR));
    table.row(ratioRow("Mayfly / " + pekkoDefault.name, mayfly, pekkoDefault, "", Double.NaN));
    table.row(ratioRow("Mayfly / " + v8.name + " (one thread)", mayfly, v8, "≥ 1x", V8_BAR));
    table.row(ratioRow(bare.name + " (one thread) / Mayfly", bare, mayfly, "", Double.NaN));
    table.note(
        "Ratios of median saturation rates; [range]: the same against the denominator's fastest"
            + " and slowest repetition. Bars from DESIGN.md (reference machine: 2 cores).");
    report.table(table);
  }

  private static Object[] ratioRow(
      String label, Results numerator, Results denominator, String bar, double threshold) {
    double ratio = numerator.medianRate() / denominator.medianRate();
    double[] other = denominator.rates();
    String range =
        "["
            + Stats.ratio(numerator.medianRate() / Stats.max(other))
            + " .. "
            + Stats.ratio(numerator.medianRate() / Stats.min(other))
            + "]";
    return new Object[] {
      label, Stats.ratio(ratio), range, bar, Double.isNaN(threshold) ? "" : met(ratio >= threshold)
    };
  }

  private void curve(List<Results> results) {
    var columns = new ArrayList<String>(List.of("sensors"));
    results.forEach(r -> columns.add(r.name));
    var table =
        new Table(
            "Saturation throughput against the number of sensors (turns/s)",
            columns.toArray(String[]::new));
    for (int sensors : results.getFirst().curve.keySet()) {
      var row = new ArrayList<Object>(List.of(count(sensors)));
      for (Results r : results) {
        row.add(Stats.rate(Stats.median(r.curve.get(sensors))));
      }
      table.row(row.toArray());
    }
    table.note(
        "Medians; at "
            + count(IotWorkload.SENSORS)
            + " sensors the repetitions of the first table, elsewhere "
            + plan.curveReps()
            + " per point (a "
            + seconds(plan.curveWindowNanos())
            + " window after "
            + seconds(plan.curveWarmUpNanos())
            + " of warm-up). The actor drivers keep two rounds or "
            + count(ActorDriven.MIN_IN_FLIGHT)
            + " messages in flight, whichever is more, so with few sensors each mailbox holds"
            + " more messages."
            + refusals(results));
    report.table(table);
  }

  /** Which implementations refused messages with a full mailbox in the run, and how many. */
  private static String refusals(List<Results> results) {
    var parts = new ArrayList<String>();
    for (Results r : results) {
      if (r.refusals > 0) {
        parts.add(r.name + " " + count(r.refusals));
      }
    }
    return parts.isEmpty()
        ? ""
        : " Messages refused with a full mailbox (1,024 messages) and sent again after up to "
            + ActorDriven.REFUSAL_WAIT_TURNS
            + " more turns, over the whole run: "
            + String.join(", ", parts)
            + ".";
  }

  private void plots(List<Results> results) throws IOException {
    var series = new ArrayList<Charts.Series>();
    for (Results r : results) {
      double[] x = r.curve.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
      double[] y = r.curve.values().stream().mapToDouble(Stats::median).toArray();
      series.add(new Charts.Series(r.name, x, y));
    }
    report.plot(
        Charts.lines(
            bench.out(),
            "iot-throughput-vs-actors.png",
            "IoT stream: saturation throughput against the number of sensors",
            "sensors (actors)",
            "turns/s",
            true,
            true,
            series),
        "IoT stream: saturation throughput against the number of sensors");
    var histograms = new LinkedHashMap<String, Histogram>();
    for (Results r : results) {
      histograms.put(r.name + " at " + Stats.rate(r.half.perSecond), r.half.merged());
    }
    report.plot(
        Charts.latencies(
            bench.out(),
            "iot-latency.png",
            "IoT stream: ask turn latency at 50 % of each implementation's saturation",
            histograms),
        "IoT stream: latency distribution at 50 % load");
  }

  /** A count with thousands separated: {@code 10,000}. */
  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String met(boolean met) {
    return met ? "yes" : "no";
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
