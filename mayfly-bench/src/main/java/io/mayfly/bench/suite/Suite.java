package io.mayfly.bench.suite;

import io.mayfly.bench.cluster.ClusterWorkload;
import io.mayfly.bench.exchange.ExchangeWorkload;
import io.mayfly.bench.iot.IotWorkload;
import io.mayfly.bench.system.FootprintWorkload;
import io.mayfly.bench.system.IngressWorkload;
import io.mayfly.bench.system.StartWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark suite: every workload, Mayfly and its peers side by side in the same run, medians
 * of several repetitions and ratios, printed as tables and written to {@code results.md} with the
 * plots. Run through {@code scripts/bench [--quick]}, which builds it and installs the peers.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Runs Mayfly's benchmark suite against its peers and writes results.md and plots.")
public final class Suite implements Callable<Integer> {
  @Option(
      names = "--quick",
      description = "Fewer repetitions and shorter runs (a few minutes); the same tables.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "WORKLOAD",
      description = "Run only these workloads (iot, exchange, footprint, ingress, start, cluster).")
  List<String> only = List.of();

  @Option(
      names = "--reps",
      description = "Repetitions of each measurement (default: 3 with --quick, 5 without).")
  Integer reps;

  @Option(
      names = "--out",
      description = "Directory for results.md and the plots (default: target/bench-results).")
  Path out;

  @Option(
      names = "--root",
      description = "The source checkout (default: the working directory).",
      defaultValue = ".")
  Path root;

  /** The workloads, in the order they run. */
  static List<Workload> workloads() {
    return List.of(
        new IotWorkload(),
        new ExchangeWorkload(),
        new FootprintWorkload(),
        new IngressWorkload(),
        new StartWorkload(),
        new ClusterWorkload());
  }

  @Override
  public Integer call() throws Exception {
    Path checkout = root.toAbsolutePath().normalize();
    Path dir = out != null ? out : checkout.resolve("target/bench-results");
    int repetitions = reps != null ? reps : (quick ? 3 : 5);
    Set<String> known = workloads().stream().map(Workload::name).collect(Collectors.toSet());
    for (String name : only) {
      if (!known.contains(name)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "unknown workload '" + name + "'; known: " + known);
      }
    }
    var report = new Report(System.out);
    var bench = new Bench(quick, repetitions, dir, checkout, report);
    String machine = Machine.describe(quick);
    System.out.println("Mayfly benchmark suite, " + (quick ? "quick" : "full") + " mode");
    System.out.println(machine);
    Instant start = Instant.now();
    Set<String> failed = new LinkedHashSet<>();
    for (Workload workload : workloads()) {
      if (!only.isEmpty() && !only.contains(workload.name())) {
        continue;
      }
      report.section(workload.title());
      Instant began = Instant.now();
      try {
        workload.run(bench);
      } catch (Exception | AssertionError e) {
        failed.add(workload.name());
        report.failure(workload.name(), e);
        e.printStackTrace(System.err);
      }
      report.text(
          "_Took "
              + Duration.between(began, Instant.now()).truncatedTo(ChronoUnit.SECONDS).toSeconds()
              + " s; load average after it: "
              + Machine.loadAverage()
              + "._");
    }
    Duration took = Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.SECONDS);
    String header =
        "# Mayfly benchmark results\n\n"
            + "Written by `scripts/bench"
            + (quick ? " --quick" : "")
            + "` on "
            + start.truncatedTo(ChronoUnit.SECONDS)
            + "; the whole run took "
            + took.toSeconds()
            + " s.\n\n"
            + machine;
    Path file = report.write(dir, header);
    System.out.println();
    System.out.println("results: " + file + " (" + took.toSeconds() + " s)");
    if (!failed.isEmpty()) {
      System.out.println("workloads that failed: " + failed);
      return 1;
    }
    return 0;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new Suite()).execute(args));
  }
}
