package io.mayfly.bench.system;

import static io.mayfly.bench.system.IngressWorkload.values;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Charts;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import io.mayfly.http.MayflyHttpServer;
import io.mayfly.runtime.Mayfly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP half of the ingress workload: {@code wrk} asks counter actors through Mayfly's HTTP API
 * and, in the same run, the same route shape on a plain Helidon handler ({@link IngressEcho}).
 *
 * <p>Both servers run embedded in the suite's JVM (same JVM, flags and JIT), so the ratio between
 * them is the cost of the node, the actor and the Wasm turn on top of the HTTP layer; wrk runs on
 * the same machine and competes with them for the cores, as the design's bar requires.
 */
final class IngressHttpBench {
  /** The actor type the counter module is deployed as. */
  static final String TYPE = "counter";

  /**
   * The asks wrk sends: 1000 counter actors, each ask increments the actor's counter and replies
   * with the new value (4 bytes).
   */
  static final IngressWrk.Asks ASKS =
      new IngressWrk.Asks(1000, "/v1/actors/" + TYPE + "/", "/ask", "inc");

  /** The design's bar for HTTP asks: at least this many requests per second ... */
  static final double BAR_REQUESTS_PER_SECOND = 30_000;

  /** ... with a p99 latency of at most this. */
  static final long BAR_P99_NANOS = 5_000_000;

  private static final int[] CONNECTIONS = {8, 32, 64};
  private static final String MAYFLY = "Mayfly ask (Wasm actor)";
  private static final String ECHO = "Helidon echo (no actor)";

  private final Bench bench;

  IngressHttpBench(Bench bench) {
    this.bench = bench;
  }

  /** The C counter actor, {@code testdata/guests/wasm/counter.wasm} in the checkout. */
  static byte[] counterModule(Path root) throws IOException {
    Path module = root.resolve("testdata/guests/wasm/counter.wasm");
    if (!Files.isRegularFile(module)) {
      throw new IllegalStateException(
          module + " is missing: run the suite with --root set to the Mayfly checkout");
    }
    return Files.readAllBytes(module);
  }

  /** A node with the counter actor deployed, served by Mayfly's HTTP API on a free port. */
  static MayflyHttpServer startMayfly(byte[] counter) {
    Mayfly node = Mayfly.builder().build();
    try {
      node.deploy(TYPE, counter);
      return MayflyHttpServer.builder().node(node).port(0).build().start();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Runs the measurements and adds the table and the plot; {@code scratch} takes the script. */
  void run(Path scratch) throws IOException {
    IngressWrk wrk = IngressWrk.create(scratch);
    int seconds = bench.pick(1, 3);
    List<List<IngressWrk.Result>> mayfly = new ArrayList<>();
    List<List<IngressWrk.Result>> echo = new ArrayList<>();
    try (MayflyHttpServer server = startMayfly(counterModule(bench.root()));
        IngressEcho peer = IngressEcho.start()) {
      bench.progress("HTTP warm-up: wrk against Mayfly and the echo peer");
      checked(MAYFLY, wrk.run(server.url(), ASKS, 32, bench.pick(1, 3)));
      checked(ECHO, wrk.run(peer.url(), ASKS, 32, bench.pick(1, 3)));
      for (int connections : CONNECTIONS) {
        bench.progress(
            "HTTP: %d connections, %d runs of %d s each", connections, bench.reps(), seconds);
        var m = new ArrayList<IngressWrk.Result>();
        var e = new ArrayList<IngressWrk.Result>();
        for (int rep = 0; rep < bench.reps(); rep++) {
          m.add(checked(MAYFLY, wrk.run(server.url(), ASKS, connections, seconds)));
          e.add(checked(ECHO, wrk.run(peer.url(), ASKS, connections, seconds)));
        }
        mayfly.add(m);
        echo.add(e);
      }
    }
    report(mayfly, echo, seconds);
  }

  private static IngressWrk.Result checked(String target, IngressWrk.Result result) {
    if (result.errors() > 0 || result.requests() == 0) {
      throw new IllegalStateException(
          target + ": wrk saw " + result.errors() + " failed requests, " + result);
    }
    return result;
  }

  private void report(
      List<List<IngressWrk.Result>> mayfly, List<List<IngressWrk.Result>> echo, int seconds)
      throws IOException {
    var table =
        new Table(
            "HTTP ask through a Wasm actor vs the HTTP layer alone (wrk, 2 threads, keep-alive, "
                + ASKS.actors()
                + " actors, "
                + seconds
                + " s runs, medians of "
                + bench.reps()
                + ")",
            "connections",
            "Mayfly req/s",
            "Mayfly range",
            "Mayfly p50",
            "Mayfly p99",
            "echo req/s",
            "echo p99",
            "Mayfly / echo",
            "vs 30 k/s bar",
            "p99 <= 5 ms");
    double[] x = new double[CONNECTIONS.length];
    double[] mayflyRates = new double[CONNECTIONS.length];
    double[] echoRates = new double[CONNECTIONS.length];
    for (int i = 0; i < CONNECTIONS.length; i++) {
      double[] rates = values(mayfly.get(i), IngressWrk.Result::requestsPerSecond);
      double rate = Stats.median(rates);
      double p99 = Stats.median(values(mayfly.get(i), r -> r.p99Nanos()));
      double echoRate = Stats.median(values(echo.get(i), IngressWrk.Result::requestsPerSecond));
      x[i] = CONNECTIONS[i];
      mayflyRates[i] = rate;
      echoRates[i] = echoRate;
      table.row(
          CONNECTIONS[i],
          Stats.rate(rate),
          Stats.rateRange(rates),
          Stats.nanos(Stats.median(values(mayfly.get(i), r -> r.p50Nanos()))),
          Stats.nanos(p99),
          Stats.rate(echoRate),
          Stats.nanos(Stats.median(values(echo.get(i), r -> r.p99Nanos()))),
          Stats.ratio(rate / echoRate),
          Stats.ratio(rate / BAR_REQUESTS_PER_SECOND),
          p99 <= BAR_P99_NANOS ? "yes" : "no");
    }
    table.note(
        "Mayfly: POST /v1/actors/counter/aN/ask to the C counter actor (counter.wasm, increments"
            + " and replies 4 bytes), embedded MayflyHttpServer in the suite's JVM.");
    table.note(
        "echo: the same route on a plain Helidon SE handler that reads the body and replies 4"
            + " bytes: the ceiling of the HTTP layer on this machine. wrk runs on the same cores.");
    table.note("Bar (design): >= 30 k req/s with p99 <= 5 ms; latencies are wrk's --latency.");
    bench.report().table(table);
    String title = "HTTP asks per second against wrk connections";
    var series =
        List.of(
            new Charts.Series(MAYFLY, x, mayflyRates),
            new Charts.Series(ECHO, x, echoRates),
            new Charts.Series(
                "bar (30 k/s)", x, constant(CONNECTIONS.length, BAR_REQUESTS_PER_SECOND)));
    Path plot =
        Charts.lines(
            bench.out(),
            "ingress-http.png",
            title,
            "connections",
            "requests/s",
            true, // the connection counts grow by factors
            false,
            series);
    bench.report().plot(plot, title);
  }

  private static double[] constant(int n, double value) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, value);
    return v;
  }
}
