package io.mayfly.bench.exchange;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Charts;
import io.mayfly.bench.suite.Redis;
import io.mayfly.bench.suite.Report;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import io.mayfly.bench.suite.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * Data exchange, GoldFish's comparison: the workflow example's Wasm actors ({@code
 * examples/workflow/wasm}: a chain of 5 stages, a fan-out/fan-in of 10 workers) exchanging 1 KiB,
 * 64 KiB and 1 MiB payloads three ways in the same run.
 *
 * <ul>
 *   <li><b>Mayfly</b>: an embedded node; the client asks {@code stage/1} or a coordinator and the
 *       actors hand the payload on in memory ({@link MayflyExchange}).
 *   <li><b>Redis</b>: the same Wasm functions run stateless, with every hand-off and the
 *       coordinator's state going through a real {@code redis-server} ({@link RedisExchange}).
 *   <li><b>direct</b>: the same Wasm functions handing byte arrays to each other on one thread, the
 *       physical limit ({@link DirectExchange}).
 * </ul>
 *
 * All three must give the same answer, byte for byte, before anything is timed, and every timed
 * answer is compared with it. For each shape and payload, each repetition measures the end-to-end
 * latency of requests made one at a time (p50, p99) and the throughput with {@link Measure#CALLERS}
 * requests in flight; the tables show medians over the repetitions and the ratios between the
 * three.
 */
public final class ExchangeWorkload implements Workload {
  private static final int KIB = 1024;
  private static final int[] PAYLOADS = {KIB, 64 * KIB, 1024 * KIB};
  private static final int PLOTTED_PAYLOAD = 64 * KIB;
  private static final int MIN_LATENCY_REQUESTS = 3;

  /** What Mayfly must reach against the direct hand-off (DESIGN.md's quality bar). */
  private static final double LATENCY_BAR = 1.25;

  private static final double THROUGHPUT_BAR = 0.8;

  @Override
  public String name() {
    return "exchange";
  }

  @Override
  public String title() {
    return "Data exchange: chains and fan-out/fan-in";
  }

  @Override
  public void run(Bench bench) throws IOException, InterruptedException {
    Path wasm = bench.root().resolve("examples/workflow/wasm");
    Functions functions = Functions.load(wasm);
    try (Redis redis = Redis.start();
        var mayfly = new MayflyExchange(wasm);
        var direct = new DirectExchange(functions);
        var stored = new RedisExchange(functions, redis);
        var measure = new Measure()) {
      List<Exchange> exchanges = List.of(mayfly, direct, stored);
      describe(bench.report(), redis.version());
      var results = new LinkedHashMap<Case, Map<String, Runs>>();
      for (Shape shape : Shape.values()) {
        for (int payload : PAYLOADS) {
          var c = new Case(shape, payload);
          results.put(c, measure(bench, measure, exchanges, c));
        }
      }
      reportLatency(bench, exchanges, results);
      reportThroughput(bench, exchanges, results);
      reportRatios(bench, results);
      plot(bench, exchanges, results);
    }
  }

  /** One shape with one payload size. */
  record Case(Shape shape, int payload) {
    String label() {
      return shape.label() + ", " + size(payload);
    }

    String shortLabel() {
      return shape.shortLabel() + " " + size(payload);
    }

    /** The client's request, with a payload of random bytes fixed by the case. */
    byte[] request() {
      byte[] data = new byte[payload];
      new Random(payload * 31L + shape.ordinal()).nextBytes(data);
      return shape.request(data);
    }
  }

  /** One implementation's measurements of one case, one slot per repetition. */
  private static final class Runs {
    final double[] p50;
    final double[] p99;
    final double[] rate;
    final Histogram latencies = Stats.latencyHistogram();

    Runs(int reps) {
      p50 = new double[reps];
      p99 = new double[reps];
      rate = new double[reps];
    }
  }

  private static void describe(Report report, String redisVersion) {
    report.text(
        "The workflow example's Wasm actors (examples/workflow): a chain of "
            + Shape.STAGES
            + " stages and a fan-out to "
            + Shape.WORKERS
            + " workers with a coordinator's fan-in, payloads of 1 KiB, 64 KiB and 1 MiB, run three"
            + " ways: Mayfly (an embedded node; the actors hand the payload on in memory), Redis"
            + " (the same Wasm functions run stateless; every hand-off and the coordinator's state"
            + " go through redis-server "
            + redisVersion
            + " on loopback, the 10 workers run on a pool of 10 threads) and direct (the same Wasm"
            + " functions handing byte arrays to each other on the caller's thread: the physical"
            + " limit). All three give the same answer byte for byte; it is checked before timing"
            + " and on every timed request. Latency: one request at a time, end to end. Throughput: "
            + Measure.CALLERS
            + " callers, each with one request in flight.");
  }

  private static Map<String, Runs> measure(
      Bench bench, Measure measure, List<Exchange> exchanges, Case c) throws InterruptedException {
    byte[] request = c.request();
    byte[] expected = agreedAnswer(exchanges, c, request);
    // 6 cases x 3 implementations x (latency + throughput) windows per repetition; a slow 1 MiB
    // request may run past its window, so the windows are short.
    long window = (long) (bench.pick(0.15, 0.8) * 1e9);
    long warmUp = (long) (bench.pick(0.1, 0.5) * 1e9);
    var runs = new LinkedHashMap<String, Runs>();
    for (Exchange exchange : exchanges) {
      measure.latency(checked(exchange, c, request, expected), warmUp, MIN_LATENCY_REQUESTS);
      runs.put(exchange.name(), new Runs(bench.reps()));
    }
    for (int rep = 0; rep < bench.reps(); rep++) {
      bench.progress("%s: repetition %d of %d", c.label(), rep + 1, bench.reps());
      for (Exchange exchange : exchanges) {
        Measure.Request one = checked(exchange, c, request, expected);
        Runs r = runs.get(exchange.name());
        Histogram h = measure.latency(one, window, MIN_LATENCY_REQUESTS);
        r.p50[rep] = h.getValueAtPercentile(50);
        r.p99[rep] = h.getValueAtPercentile(99);
        r.latencies.add(h);
        r.rate[rep] = measure.throughput(one, window);
      }
    }
    return runs;
  }

  private static Measure.Request checked(
      Exchange exchange, Case c, byte[] request, byte[] expected) {
    return () -> check(exchange, c, exchange.run(c.shape(), request), expected);
  }

  /** Runs the request once on every implementation; they must all give the same answer. */
  static byte[] agreedAnswer(List<Exchange> exchanges, Case c, byte[] request) {
    byte[] first = exchanges.getFirst().run(c.shape(), request);
    for (Exchange other : exchanges.subList(1, exchanges.size())) {
      check(other, c, other.run(c.shape(), request), first);
    }
    return first;
  }

  private static void check(Exchange exchange, Case c, byte[] answer, byte[] expected) {
    int at = Arrays.mismatch(answer, expected);
    if (at >= 0) {
      throw new IllegalStateException(
          exchange.name()
              + " gave another answer to the "
              + c.label()
              + " request ("
              + answer.length
              + " bytes, expected "
              + expected.length
              + "; first difference at byte "
              + at
              + ")");
    }
  }

  private static void reportLatency(
      Bench bench, List<Exchange> exchanges, Map<Case, Map<String, Runs>> results) {
    var columns = new ArrayList<>(List.of("workflow", "payload"));
    for (Exchange e : exchanges) {
      columns.add(e.name() + " p50");
      columns.add(e.name() + " p99");
    }
    var table =
        new Table(
            "Latency, one request at a time (medians of " + bench.reps() + " repetitions)",
            columns.toArray(String[]::new));
    results.forEach(
        (c, runs) -> {
          var row = new ArrayList<Object>(List.of(c.shape().label(), size(c.payload())));
          for (Runs r : runs.values()) {
            row.add(Stats.nanos(Stats.median(r.p50)));
            row.add(Stats.nanos(Stats.median(r.p99)));
          }
          table.row(row.toArray());
        });
    table.note(
        "End to end: from the client's request to its answer, answers checked byte for byte.");
    bench.report().table(table);
  }

  private static void reportThroughput(
      Bench bench, List<Exchange> exchanges, Map<Case, Map<String, Runs>> results) {
    var columns = new ArrayList<>(List.of("workflow", "payload"));
    for (Exchange e : exchanges) {
      columns.add(e.name());
    }
    var table =
        new Table(
            "Throughput, " + Measure.CALLERS + " requests in flight (workflows/s)",
            columns.toArray(String[]::new));
    results.forEach(
        (c, runs) -> {
          var row = new ArrayList<Object>(List.of(c.shape().label(), size(c.payload())));
          for (Runs r : runs.values()) {
            row.add(Stats.rate(Stats.median(r.rate)) + " [" + Stats.rateRange(r.rate) + "]");
          }
          table.row(row.toArray());
        });
    table.note(
        "Median of "
            + bench.reps()
            + " repetitions [min .. max]; a workflow is a whole chain or a whole fan-out/fan-in.");
    bench.report().table(table);
  }

  private static void reportRatios(Bench bench, Map<Case, Map<String, Runs>> results) {
    var table =
        new Table(
            "Ratios (p50 latency, median throughput)",
            "workflow",
            "payload",
            "Mayfly/direct lat",
            "Mayfly/direct thr",
            "bar met",
            "Mayfly lat cut vs Redis",
            "Mayfly/Redis thr",
            "direct vs Redis lat",
            "direct/Redis thr");
    results.forEach(
        (c, runs) -> {
          Runs mayfly = runs.get("Mayfly");
          Runs direct = runs.get("direct");
          Runs redis = runs.get("Redis");
          double latVsDirect = p50(mayfly) / p50(direct);
          double thrVsDirect = rate(mayfly) / rate(direct);
          boolean met = latVsDirect <= LATENCY_BAR && thrVsDirect >= THROUGHPUT_BAR;
          table.row(
              c.shape().label(),
              size(c.payload()),
              Stats.ratio(latVsDirect),
              Stats.ratio(thrVsDirect),
              met ? "yes" : "no",
              Stats.percent(1 - p50(mayfly) / p50(redis)),
              Stats.ratio(rate(mayfly) / rate(redis)),
              Stats.ratio(p50(redis) / p50(direct)) + " lower",
              Stats.ratio(rate(direct) / rate(redis)));
        });
    table.note(
        "Bar (DESIGN.md): Mayfly's latency within "
            + LATENCY_BAR
            + "x of the direct hand-off's and its throughput at least "
            + THROUGHPUT_BAR
            + "x.");
    table.note(
        "Mayfly lat cut vs Redis: how much lower Mayfly's p50 latency is (negative: higher);"
            + " direct vs Redis lat: Redis p50 over direct p50.");
    bench.report().table(table);
  }

  private static void plot(
      Bench bench, List<Exchange> exchanges, Map<Case, Map<String, Runs>> results)
      throws IOException {
    List<String> categories = results.keySet().stream().map(Case::shortLabel).toList();
    var latency = new LinkedHashMap<String, List<Double>>();
    var throughput = new LinkedHashMap<String, List<Double>>();
    var distribution = new LinkedHashMap<String, Histogram>();
    for (Exchange e : exchanges) {
      latency.put(e.name(), new ArrayList<>());
      throughput.put(e.name(), new ArrayList<>());
    }
    results.forEach(
        (c, runs) ->
            runs.forEach(
                (name, r) -> {
                  latency.get(name).add(p50(r) / 1e6);
                  throughput.get(name).add(rate(r));
                  if (c.payload() == PLOTTED_PAYLOAD) {
                    distribution.put(name + ", " + c.shape().label(), r.latencies);
                  }
                }));
    Report report = bench.report();
    report.plot(
        Charts.bars(
            bench.out(),
            "exchange-latency.png",
            "Data exchange: p50 latency, one request at a time",
            "latency (ms)",
            true,
            categories,
            latency),
        "Data exchange: p50 latency per workflow and payload");
    report.plot(
        Charts.bars(
            bench.out(),
            "exchange-throughput.png",
            "Data exchange: throughput, " + Measure.CALLERS + " requests in flight",
            "workflows/s",
            true,
            categories,
            throughput),
        "Data exchange: throughput per workflow and payload");
    report.plot(
        Charts.latencies(
            bench.out(),
            "exchange-latency-64k.png",
            "Data exchange: latency distribution at 64 KiB (all repetitions)",
            distribution),
        "Data exchange: latency distribution at 64 KiB");
  }

  private static double p50(Runs r) {
    return Stats.median(r.p50);
  }

  private static double rate(Runs r) {
    return Stats.median(r.rate);
  }

  private static String size(int bytes) {
    return bytes >= 1024 * KIB ? bytes / (1024 * KIB) + " MiB" : bytes / KIB + " KiB";
  }
}
