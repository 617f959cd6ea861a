package io.mayfly.bench.system;

import static io.mayfly.bench.system.IngressWorkload.values;

import io.mayfly.bench.Guests;
import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Charts;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The MQTT half of the ingress workload: readings published to mosquitto reach sensor actors
 * through Mayfly's bridge, and in the same run a plain subscriber on the same broker receives the
 * same stream (the peer: what broker and client carry on this machine without Mayfly). Measured at
 * QoS 0 and 1: throughput when the publisher goes as fast as the broker takes readings, and the
 * latency from publication to the end of the actor's turn at half of Mayfly's throughput.
 */
final class IngressMqttBench {
  private static final int[] QOS = {0, 1};
  private static final String MAYFLY = "Mayfly";
  private static final String RAW = "raw subscriber";

  private final Bench bench;

  IngressMqttBench(Bench bench) {
    this.bench = bench;
  }

  /** The runs of one QoS level. */
  private record Level(
      int qos,
      List<IngressMqttRig.Run> mayfly,
      List<IngressMqttRig.Run> raw,
      double halfRate,
      List<IngressMqttRig.Run> mayflyHalf,
      List<IngressMqttRig.Run> rawHalf) {}

  /** Runs the measurements and adds the tables and the plot; {@code scratch} takes the broker. */
  void run(Path scratch) throws IOException {
    int messages = bench.pick(5_000, 60_000);
    var levels = new ArrayList<Level>();
    try (var rig = IngressMqttRig.start(scratch.resolve("mosquitto"), Guests.sensor())) {
      for (int qos : QOS) {
        levels.add(level(rig, qos, messages));
      }
    }
    report(levels, messages);
  }

  private Level level(IngressMqttRig rig, int qos, int messages) {
    bench.progress(
        "MQTT QoS %d: warm-up, then %d runs of %,d readings each way", qos, bench.reps(), messages);
    rig.throughMayfly(qos, messages / 4, 0);
    rig.throughSubscriber(qos, messages / 4, 0);
    var mayfly = new ArrayList<IngressMqttRig.Run>();
    var raw = new ArrayList<IngressMqttRig.Run>();
    for (int rep = 0; rep < bench.reps(); rep++) {
      mayfly.add(rig.throughMayfly(qos, messages, 0));
      raw.add(rig.throughSubscriber(qos, messages, 0));
    }
    double half = Stats.median(values(mayfly, IngressMqttRig.Run::rate)) / 2;
    int paced = (int) Math.min(messages, half * bench.pick(0.3, 2.0));
    bench.progress(
        "MQTT QoS %d: latency at half load, %,d readings at %s", qos, paced, Stats.rate(half));
    var mayflyHalf = new ArrayList<IngressMqttRig.Run>();
    var rawHalf = new ArrayList<IngressMqttRig.Run>();
    for (int rep = 0; rep < bench.reps(); rep++) {
      mayflyHalf.add(rig.throughMayfly(qos, paced, half));
      rawHalf.add(rig.throughSubscriber(qos, paced, half));
    }
    return new Level(qos, mayfly, raw, half, mayflyHalf, rawHalf);
  }

  private void report(List<Level> levels, int messages) throws IOException {
    var throughput =
        new Table(
            "MQTT ingest into "
                + IngressMqttRig.SENSORS
                + " sensor actors vs a plain subscriber ("
                + String.format(Locale.ROOT, "%,d", messages)
                + " readings of "
                + IngressMqttRig.READING_BYTES
                + " B per run, as fast as mosquitto takes them, medians of "
                + bench.reps()
                + ")",
            "QoS",
            "Mayfly turns/s",
            "Mayfly range",
            "raw msg/s",
            "raw range",
            "Mayfly / raw",
            "delivered Mayfly",
            "delivered raw",
            "Mayfly p99",
            "raw p99");
    var latency =
        new Table(
            "MQTT latency at half load: publication to the end of the actor's turn (Mayfly) or"
                + " to the subscriber's callback (raw), medians of "
                + bench.reps(),
            "QoS",
            "rate",
            "Mayfly p50",
            "Mayfly p99",
            "Mayfly p99.9",
            "raw p50",
            "raw p99",
            "raw p99.9");
    Map<String, Histogram> plotted = new LinkedHashMap<>();
    for (Level l : levels) {
      double[] m = values(l.mayfly(), IngressMqttRig.Run::rate);
      double[] r = values(l.raw(), IngressMqttRig.Run::rate);
      throughput.row(
          l.qos(),
          Stats.rate(Stats.median(m)),
          Stats.rateRange(m),
          Stats.rate(Stats.median(r)),
          Stats.rateRange(r),
          Stats.ratio(Stats.median(m) / Stats.median(r)),
          Stats.percent(Stats.min(values(l.mayfly(), IngressMqttRig.Run::delivered))),
          Stats.percent(Stats.min(values(l.raw(), IngressMqttRig.Run::delivered))),
          Stats.nanos(percentile(l.mayfly(), 99)),
          Stats.nanos(percentile(l.raw(), 99)));
      latency.row(
          l.qos(),
          Stats.rate(l.halfRate()),
          Stats.nanos(percentile(l.mayflyHalf(), 50)),
          Stats.nanos(percentile(l.mayflyHalf(), 99)),
          Stats.nanos(percentile(l.mayflyHalf(), 99.9)),
          Stats.nanos(percentile(l.rawHalf(), 50)),
          Stats.nanos(percentile(l.rawHalf(), 99)),
          Stats.nanos(percentile(l.rawHalf(), 99.9)));
      plotted.put(MAYFLY + " QoS " + l.qos(), merged(l.mayflyHalf()));
      plotted.put(RAW + " QoS " + l.qos(), merged(l.rawHalf()));
    }
    throughput.note(
        "Mayfly: MqttBridge routes sensors/+/reading to sensor/{1} (sensor.wasm, a 32-value"
            + " window in state); a reading counts when its turn has committed (turn listener).");
    throughput.note(
        "raw: a HiveMQ client subscribed to the same filter at the same QoS, on the same broker,"
            + " fed by the same publisher; p99 at full speed includes the queueing in the broker.");
    throughput.note(
        "delivered: the lowest share of published readings that arrived in a run (QoS 0 readings"
            + " may be dropped by the broker or the client under overload).");
    latency.note(
        "Paced at half of Mayfly's median throughput at that QoS, for both; timestamps from the"
            + " publisher's System.nanoTime() in bytes 8..15 of each reading.");
    bench.report().table(throughput);
    bench.report().table(latency);
    Path plot =
        Charts.latencies(
            bench.out(),
            "ingress-mqtt-latency.png",
            "MQTT publication to arrival at half load",
            plotted);
    bench.report().plot(plot, "MQTT latency distribution at half load, Mayfly vs raw subscriber");
  }

  /** The median over the runs of each run's percentile, in nanoseconds. */
  private static double percentile(List<IngressMqttRig.Run> runs, double percentile) {
    return Stats.median(values(runs, r -> r.latencies().getValueAtPercentile(percentile)));
  }

  private static Histogram merged(List<IngressMqttRig.Run> runs) {
    Histogram all = Stats.latencyHistogram();
    runs.forEach(r -> all.add(r.latencies()));
    return all;
  }
}
