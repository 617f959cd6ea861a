package io.mayfly.bench.suite;

/**
 * One workload of the benchmark suite: it runs Mayfly and its peers in the same process (or
 * script), repeats each measurement {@link Bench#reps()} times, and adds its tables and plots to
 * the {@link Bench#report()}.
 */
public interface Workload {
  /** The short name used by {@code --only}, e.g. {@code iot}. */
  String name();

  /** The section title in the report. */
  String title();

  /**
   * Runs the workload and adds its results to the report.
   *
   * @throws Exception if the workload cannot run (a missing tool, a peer that disagrees); the suite
   *     reports the failure and goes on with the next workload
   */
  void run(Bench bench) throws Exception;
}
