package io.mayfly.bench.iot;

import io.mayfly.bench.suite.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/** What one implementation measured in one run of the workload, one entry per repetition. */
final class Results {
  /** A paced run's rate and the latency histograms of its repetitions. */
  static final class Paced {
    double perSecond;
    final List<Histogram> runs = new ArrayList<>();

    /** The median over the repetitions of a percentile, in nanoseconds. */
    double percentile(double p) {
      return Stats.median(runs.stream().mapToDouble(h -> h.getValueAtPercentile(p)).toArray());
    }

    /** All repetitions in one histogram, for the plot. */
    Histogram merged() {
      Histogram all = Stats.latencyHistogram();
      runs.forEach(all::add);
      return all;
    }
  }

  final String name;
  final int reps;
  final List<Saturation> saturation = new ArrayList<>();
  final Paced half = new Paced();
  final Paced ninety = new Paced();

  /** Messages refused with a full mailbox and sent again, over the whole run. */
  long refusals;

  /** Saturation rates by number of sensors. */
  final Map<Integer, double[]> curve = new LinkedHashMap<>();

  /**
   * @param reps repetitions of the saturation run (more for Pekko, whose throughput is bimodal)
   */
  Results(String name, int reps) {
    this.name = name;
    this.reps = reps;
  }

  double[] rates() {
    return saturation.stream().mapToDouble(Saturation::rate).toArray();
  }

  double medianRate() {
    return Stats.median(rates());
  }

  /** The median over the saturation repetitions of a figure. */
  double median(ToDoubleFunction<Saturation> figure) {
    return Stats.median(saturation.stream().mapToDouble(figure).toArray());
  }

  /** The median over the saturation repetitions of a latency percentile, in nanoseconds. */
  double saturationPercentile(double p) {
    return median(s -> s.latencies().getValueAtPercentile(p));
  }
}
