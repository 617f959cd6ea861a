package io.mayfly.bench.suite;

import java.nio.file.Path;

/**
 * What a workload gets from the suite: the mode, the number of repetitions, where to write files,
 * and the report to add to.
 *
 * @param quick the {@code --quick} mode: fewer repetitions, shorter runs, the same tables
 * @param reps how many times each measurement is repeated (medians are of these)
 * @param out the directory for the report and the plots
 * @param root the source checkout (for {@code examples/}, {@code testdata/} and the launcher)
 * @param report the report the workload adds its tables, plots and notes to
 */
public record Bench(boolean quick, int reps, Path out, Path root, Report report) {
  /** Picks the quick or the full value of a setting. */
  public int pick(int quickValue, int fullValue) {
    return quick ? quickValue : fullValue;
  }

  /** Picks the quick or the full value of a setting. */
  public double pick(double quickValue, double fullValue) {
    return quick ? quickValue : fullValue;
  }

  /** Prints a progress line (to standard error, so the tables on standard output stay clean). */
  public void progress(String format, Object... args) {
    System.err.printf("  .. " + format + "%n", args);
  }
}
