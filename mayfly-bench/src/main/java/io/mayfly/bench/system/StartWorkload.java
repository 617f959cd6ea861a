package io.mayfly.bench.system;

import io.mayfly.bench.Guests;
import io.mayfly.bench.StartProbe;
import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Charts;
import io.mayfly.bench.suite.ChildJvm;
import io.mayfly.bench.suite.ProbeLine;
import io.mayfly.bench.suite.Stats;
import io.mayfly.bench.suite.Table;
import io.mayfly.bench.suite.Workload;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Start: from process start to the first handled message, the way a user starts a node, with and
 * without a JDK 25 ahead-of-time cache; and the deploy time of a 100 KiB module.
 *
 * <ul>
 *   <li><b>Embedded node</b>: {@link StartProbe} in a fresh JVM builds a node, deploys {@code
 *       sensor.wasm} and asks it once; the time from just before {@code ProcessBuilder.start()} to
 *       the reply, broken down at the JVM running {@code main}, the node built and the module
 *       deployed.
 *   <li><b>{@code mayfly run}</b>: the real CLI node ({@link CliNode}); the time to its listening
 *       line, to the answer of a deploy over HTTP, and to the reply of the first ask.
 *   <li><b>AOT cache</b> (JEP 483, 514, 515): a training run with {@code -XX:AOTCacheOutput}, then
 *       runs with {@code -XX:AOTCache} (and {@code -XX:AOTMode=on}, so a cache the JVM cannot use
 *       is an error, not a silent slow start).
 *   <li><b>Deploy</b>: a generated module of just over 100 KiB ({@link LargeModule}), deployed cold
 *       (the first deploy in a fresh JVM) and warm (further deploys under new type names).
 * </ul>
 *
 * <p>Every JVM runs with the distribution launcher's options and the JVM's default heap. Bar
 * (design brief): node start to first handled message in at most 1.5 s.
 */
public final class StartWorkload implements Workload {
  /** The design's bar: node start to the first handled message. */
  static final long BAR_NANOS = 1_500_000_000L;

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String EMBEDDED = "embedded node";
  private static final String CLI = "mayfly run (HTTP deploy + ask)";

  /**
   * One start, each time from just before the process started; -1 where not known.
   *
   * @param jvmUp the probe's {@code main} runs
   * @param nodeUp the node is built (embedded) or listens (CLI)
   * @param deployed sensor.wasm is deployed
   * @param replied the reply to the first ask is back: its turn has been handled
   * @param rss the process's RSS then
   */
  record Start(long jvmUp, long nodeUp, long deployed, long replied, long rss) {}

  /**
   * The AOT training run of one way of starting.
   *
   * @param cache the cache it wrote, or {@code null} if the JVM refused
   * @param failure why there is no cache (or the runs with it failed), or {@code null}
   */
  record Training(Path cache, long nanos, long cacheBytes, String failure) {
    static Training failed(String why) {
      return new Training(null, 0, 0, why);
    }

    Training refused(String why) {
      return new Training(cache, nanos, cacheBytes, why);
    }
  }

  /** The starts of one way, without and with the cache. */
  record Starts(String name, List<Start> plain, List<Start> cached, Training training) {}

  /** One way of starting a node under some JVM options. */
  @FunctionalInterface
  interface Starter {
    Start start(List<String> jvmOptions);
  }

  @Override
  public String name() {
    return "start";
  }

  @Override
  public String title() {
    return "Start: process start to first handled message";
  }

  @Override
  public void run(Bench bench) throws Exception {
    List<String> launcher = LauncherOptions.distribution(bench.root());
    // Each start is a JVM of its own (one to four seconds on two busy cores, and a training run
    // of mayfly run several more): fewer in quick mode keeps the workload within its share of
    // the quick suite.
    int reps = bench.pick(2, bench.reps());
    int cliReps = bench.pick(1, bench.reps());
    bench
        .report()
        .text(
            "Fresh JVMs started as a user runs a node, with the distribution launcher's options ("
                + String.join(" ", launcher)
                + ", the JVM's default heap), timed from just before ProcessBuilder.start() to the"
                + " reply of the first ask (its turn has been handled). The embedded node is"
                + " io.mayfly.bench.StartProbe (build a node, deploy sensor.wasm, ask once);"
                + " mayfly run is the CLI node, deployed to and asked over its HTTP API by the"
                + " suite. Each with and without a JDK 25 AOT cache from a training run; "
                + reps
                + " starts of the embedded node and "
                + cliReps
                + " of mayfly run each way, alternating, medians.");
    Path scratch = Files.createTempDirectory("mayfly-start-");
    try {
      Path module = scratch.resolve("large.wasm");
      Files.write(module, LargeModule.ofAtLeast(LargeModule.TARGET_BYTES));
      int warm = bench.pick(3, 20);
      bench.progress(
          "start: deploys of a %d-byte module, 1 cold and %d warm", Files.size(module), warm);
      ProbeLine deploy = deploy(launcher, module, warm);
      var all = new ArrayList<Starts>();
      all.add(measure(bench, EMBEDDED, launcher, scratch, StartWorkload::embedded, reps));
      String cliMissing = cliMissing(bench.root());
      if (cliMissing == null) {
        HttpClient client = HttpClient.newHttpClient();
        all.add(
            measure(
                bench,
                CLI,
                launcher,
                scratch,
                options -> cli(bench.root(), options, client),
                cliReps));
      }
      report(bench, all, deploy);
      if (cliMissing != null) {
        bench.report().failure("start, mayfly run", new IllegalStateException(cliMissing));
      }
    } finally {
      delete(scratch);
    }
  }

  /** Why the CLI node cannot be started (no build), or {@code null}. */
  private static String cliMissing(Path root) {
    try {
      CliNode.classPath(root);
      return null;
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  private static Starts measure(
      Bench bench, String name, List<String> launcher, Path scratch, Starter starter, int reps) {
    Path cache = scratch.resolve(name.split(" \\(")[0].replace(' ', '-') + ".aot");
    bench.progress("start, %s: AOT training run (-XX:AOTCacheOutput)", name);
    Training training = train(starter, launcher, cache);
    List<String> cached = new ArrayList<>(launcher);
    cached.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"));
    var plainStarts = new ArrayList<Start>();
    var cachedStarts = new ArrayList<Start>();
    for (int rep = 0; rep < reps; rep++) {
      bench.progress(
          "start, %s: start %d of %d, without and with the AOT cache", name, rep + 1, reps);
      plainStarts.add(starter.start(launcher));
      if (training.failure() == null) {
        try {
          cachedStarts.add(starter.start(cached));
        } catch (IllegalStateException e) {
          training = training.refused("a run with -XX:AOTCache failed: " + e.getMessage());
        }
      }
    }
    return new Starts(name, plainStarts, cachedStarts, training);
  }

  /**
   * The training run: a start with {@code -XX:AOTCacheOutput}, which writes the cache as the JVM
   * exits (JEP 514's one step; JDK 25 adds the method profiles of JEP 515).
   */
  static Training train(Starter starter, List<String> launcher, Path cache) {
    var options = new ArrayList<>(launcher);
    options.add("-XX:AOTCacheOutput=" + cache);
    long start = System.nanoTime();
    try {
      starter.start(options);
    } catch (IllegalStateException e) {
      return Training.failed("the training run with -XX:AOTCacheOutput failed: " + e.getMessage());
    }
    long nanos = System.nanoTime() - start;
    try {
      return new Training(cache, nanos, Files.size(cache), null);
    } catch (IOException e) {
      return Training.failed("the training run with -XX:AOTCacheOutput wrote no cache: " + e);
    }
  }

  /** The embedded node: one run of {@link StartProbe}{@code first-message}. */
  static Start embedded(List<String> jvmOptions) {
    return fromProbe(
        ChildJvm.run(
            StartProbe.START,
            jvmOptions,
            StartProbe.class.getName(),
            List.of("first-message"),
            TIMEOUT));
  }

  /**
   * A start from the probe's stamps, which are {@link System#nanoTime()} values of the child: on
   * Linux the same monotonic clock as the suite's, checked here by their order.
   */
  static Start fromProbe(ChildJvm.Run run) {
    ProbeLine r = run.result();
    long start = run.startNanos();
    long[] stamps = {
      start,
      r.longValue("main"),
      r.longValue("node"),
      r.longValue("deployed"),
      r.longValue("replied"),
      run.exitNanos()
    };
    for (int i = 1; i < stamps.length; i++) {
      if (stamps[i] - stamps[i - 1] < 0) {
        throw new IllegalStateException(
            "the start probe's stamps are not in order on the suite's clock (System.nanoTime must"
                + " be the system-wide monotonic clock, as on Linux): started at "
                + start
                + ", exited at "
                + run.exitNanos()
                + ", "
                + r.format());
      }
    }
    return new Start(
        stamps[1] - start,
        stamps[2] - start,
        stamps[3] - start,
        stamps[4] - start,
        r.longValue("rss"));
  }

  /** The CLI node: start it, deploy the sensor actor and ask it once over HTTP, stop it. */
  static Start cli(Path root, List<String> jvmOptions, HttpClient client) {
    byte[] sensor = Guests.sensor();
    byte[] reading = StartProbe.reading(20.5);
    try (CliNode node = CliNode.start(root, jvmOptions, TIMEOUT)) {
      node.deploy(client, "sensor", sensor);
      long deployed = System.nanoTime();
      byte[] reply = node.ask(client, "sensor", "s-1", reading);
      long replied = System.nanoTime();
      if (reply.length != 16) {
        throw new IllegalStateException(
            "mayfly run's sensor actor answered " + reply.length + " bytes to an ask, not 16");
      }
      long s = node.startNanos();
      return new Start(-1, node.listeningNanos() - s, deployed - s, replied - s, node.rssBytes());
    }
  }

  /** The deploy probe: one cold and {@code warm} warm deploys of the module in {@code file}. */
  static ProbeLine deploy(List<String> launcher, Path file, int warm) {
    return ChildJvm.run(
            StartProbe.DEPLOY,
            launcher,
            StartProbe.class.getName(),
            List.of("deploy", file.toString(), "warm=" + warm),
            TIMEOUT)
        .result();
  }

  // ---- report --------------------------------------------------------------------------------

  private static double median(List<Start> starts, ToLongFunction<Start> figure) {
    return Stats.median(starts.stream().mapToDouble(figure::applyAsLong).toArray());
  }

  private static String time(List<Start> starts, ToLongFunction<Start> figure) {
    return figure.applyAsLong(starts.get(0)) < 0 ? "—" : Stats.nanos(median(starts, figure));
  }

  private static void report(Bench bench, List<Starts> all, ProbeLine deploy) throws IOException {
    bench.report().table(startTable(all));
    bench.report().table(aotTable(all));
    bench.report().table(deployTable(all.get(0), deploy));
    for (Starts s : all) {
      if (s.training().failure() != null) {
        bench
            .report()
            .failure(
                "start, " + s.name() + " with an AOT cache",
                new IllegalStateException(s.training().failure()));
      }
    }
    plot(bench, all);
  }

  private static Table startTable(List<Starts> all) {
    var table =
        new Table(
            "Process start to first handled message (medians; times since just before the process"
                + " started)",
            "start",
            "JVM up",
            "node up",
            "deployed",
            "first reply",
            "range",
            "RSS then",
            "AOT speed-up",
            "<= 1.5 s");
    for (Starts s : all) {
      row(table, s.name() + ", no AOT cache", s.plain(), "—");
      if (!s.cached().isEmpty()) {
        double speedUp = median(s.plain(), Start::replied) / median(s.cached(), Start::replied);
        row(table, s.name() + ", AOT cache", s.cached(), Stats.ratio(speedUp));
      }
    }
    table.note(
        "JVM up: the probe's main() runs (not visible for mayfly run). node up: embedded,"
            + " Mayfly.builder().build() returned (workers = cores); mayfly run, its 'Mayfly node"
            + " listening on' line has reached the suite (node and HTTP server started).");
    table.note(
        "deployed: sensor.wasm (the C sliding-window actor) deployed; for mayfly run, PUT"
            + " /v1/types/sensor answered 201 to the suite's HTTP client (already warm). first"
            + " reply: the reply to the first ask (a 64-byte reading) is back, so its turn has"
            + " been handled. RSS: of the node's process at that moment.");
    table.note(
        "The probe's stamps are its System.nanoTime(), the system-wide monotonic clock on Linux,"
            + " compared with the suite's own taken before ProcessBuilder.start().");
    table.note("Bar (design): node start to first handled message in <= 1.5 s.");
    return table;
  }

  private static void row(Table table, String name, List<Start> starts, String speedUp) {
    double replied = median(starts, Start::replied);
    double[] all = starts.stream().mapToDouble(Start::replied).toArray();
    table.row(
        name,
        time(starts, Start::jvmUp),
        time(starts, Start::nodeUp),
        time(starts, Start::deployed),
        Stats.nanos(replied),
        Stats.nanos(Stats.min(all)) + " .. " + Stats.nanos(Stats.max(all)),
        Stats.bytes(median(starts, Start::rss)),
        speedUp,
        replied <= BAR_NANOS ? "yes" : "no");
  }

  private static Table aotTable(List<Starts> all) {
    var table =
        new Table(
            "JDK 25 AOT cache: training run and cache",
            "start",
            "training run",
            "cache size",
            "first reply without",
            "with",
            "outcome");
    for (Starts s : all) {
      Training t = s.training();
      boolean used = t.failure() == null && !s.cached().isEmpty();
      table.row(
          s.name(),
          t.cache() == null ? "—" : Stats.nanos(t.nanos()),
          t.cache() == null ? "—" : Stats.bytes(t.cacheBytes()),
          Stats.nanos(median(s.plain(), Start::replied)),
          s.cached().isEmpty() ? "—" : Stats.nanos(median(s.cached(), Start::replied)),
          used ? "used (-XX:AOTMode=on)" : "not used: see below");
    }
    table.note(
        "Training: one start with -XX:AOTCacheOutput=FILE (JEP 514: record and create in one"
            + " step; the JVM writes the cache as it exits, JEP 483 classes loaded and linked, JEP"
            + " 515 method profiles), including writing the cache. Then starts with"
            + " -XX:AOTCache=FILE -XX:AOTMode=on (a cache the JVM cannot use fails the start"
            + " instead of silently slowing it). The cache lives in a temporary directory.");
    return table;
  }

  private static Table deployTable(Starts embedded, ProbeLine deploy) {
    long[] warm = deploy.longs("warm");
    double[] w = Arrays.stream(warm).asDoubleStream().toArray();
    var table =
        new Table(
            "Deploy: node.deploy (validate, compile to JVM bytecode, first instance)",
            "module",
            "size",
            "functions",
            "cold (first deploy in a fresh JVM)",
            "warm (median of " + warm.length + ")",
            "warm range");
    table.row(
        "generated (arithmetic, memory, loops, calls)",
        String.format("%,d B", deploy.longValue("bytes")),
        deploy.longValue("functions") + " (" + deploy.text("engine") + ")",
        Stats.nanos(deploy.longValue("cold")),
        Stats.nanos(Stats.median(w)),
        Stats.nanos(Stats.min(w)) + " .. " + Stats.nanos(Stats.max(w)));
    table.row(
        "sensor.wasm (in the embedded starts above)",
        String.format("%,d B", Guests.sensor().length),
        "—",
        Stats.nanos(median(embedded.plain(), s -> s.deployed() - s.nodeUp())),
        "—",
        "—");
    table.note(
        "generated: LargeModule, the smallest of its shape of at least 100 KiB, mostly code; one"
            + " JVM with the launcher's options deploys it first (cold), checks one message to it"
            + " is handled, then deploys it again under new type names (warm), undeploying each.");
    return table;
  }

  private static void plot(Bench bench, List<Starts> all) throws IOException {
    var categories = new ArrayList<String>();
    var series = new LinkedHashMap<String, List<Double>>();
    List<ToLongFunction<Start>> stamps = List.of(Start::nodeUp, Start::deployed, Start::replied);
    List<String> names = List.of("node up", "deployed", "first reply");
    for (String n : names) {
      series.put(n, new ArrayList<>());
    }
    for (Starts s : all) {
      for (List<Start> starts :
          Stream.of(s.plain(), s.cached()).filter(l -> !l.isEmpty()).toList()) {
        categories.add(s.name().split(" \\(")[0] + (starts == s.plain() ? "" : " + AOT"));
        for (int i = 0; i < stamps.size(); i++) {
          series.get(names.get(i)).add(median(starts, stamps.get(i)) / 1e6);
        }
      }
    }
    String title = "Process start to first handled message (ms since process start)";
    Path plot = Charts.bars(bench.out(), "start.png", title, "ms", false, categories, series);
    bench.report().plot(plot, title);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
