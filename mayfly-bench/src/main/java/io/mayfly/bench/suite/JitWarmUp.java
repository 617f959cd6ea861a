package io.mayfly.bench.suite;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Runs an unmeasured load until the JIT has settled: until the JVM's compilers worked less than a
 * small share of a slice of load, within a least and a most time.
 *
 * <p>A fixed warm-up is too short on 2 shared cores: C2 spent 7 to 13 s compiling a sensor fleet's
 * code (Chicory's compiled Wasm, the runtime's turn path inlined into the driver), so repetitions
 * measured after a 2 s warm-up ran partly on code not yet compiled, and with a compiler thread
 * taking one of the two cores.
 *
 * @param minNanos the least time to run the load
 * @param maxNanos the most: a JIT that never settles (it recompiles on and on) ends the warm-up
 *     here
 * @param quietShare the compile time per wall time, over the last slice, below which the JIT counts
 *     as settled (compile time is the sum over the compiler threads)
 */
public record JitWarmUp(long minNanos, long maxNanos, double quietShare) {
  public JitWarmUp {
    if (minNanos <= 0 || maxNanos < minNanos || quietShare <= 0) {
      throw new IllegalArgumentException(
          "a warm-up needs 0 < min <= max and a positive quiet share, not min "
              + minNanos
              + " ns, max "
              + maxNanos
              + " ns, share "
              + quietShare);
    }
  }

  /** How a warm-up went. */
  public record Outcome(long nanos, long compileMillis, boolean settled) {
    /** Seconds of load, for a progress line. */
    public double seconds() {
      return nanos / 1e9;
    }
  }

  /** A slice of load: runs it for about {@code nanos}. */
  @FunctionalInterface
  public interface Load {
    void run(long nanos);
  }

  /** The JVM's total compilation time in milliseconds, or {@code null} if it does not say. */
  public static LongSupplier jvmCompileMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return null;
    }
    return jit::getTotalCompilationTime;
  }

  /** Runs {@code load} in slices of {@code sliceNanos} until the JIT settles. */
  public Outcome run(Load load, long sliceNanos) {
    return run(load, sliceNanos, jvmCompileMillis(), System::nanoTime);
  }

  /**
   * Runs {@code load} in slices until the JIT settles, judged by {@code compileMillis} (the least
   * time only, when {@code null}) on the clock {@code nanoTime}.
   */
  public Outcome run(
      Load load, long sliceNanos, LongSupplier compileMillis, LongSupplier nanoTime) {
    long start = nanoTime.getAsLong();
    long compiledAtStart = compileMillis == null ? 0 : compileMillis.getAsLong();
    for (; ; ) {
      long sliceStart = nanoTime.getAsLong();
      long compiledBefore = compileMillis == null ? 0 : compileMillis.getAsLong();
      load.run(sliceNanos);
      long now = nanoTime.getAsLong();
      long compiled = compileMillis == null ? 0 : compileMillis.getAsLong();
      long ran = now - start;
      double share = (compiled - compiledBefore) * 1e6 / Math.max(1, now - sliceStart);
      boolean settled = compileMillis == null || share < quietShare;
      if ((ran >= minNanos && settled) || ran >= maxNanos) {
        return new Outcome(ran, compiled - compiledAtStart, settled);
      }
    }
  }
}
