package io.mayfly.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * CPU time per operation over a measured stretch: the whole process (workers, the sending thread,
 * GC, JIT) and the node's workers alone. On a shared machine this is steadier than the throughput,
 * which also depends on how much CPU the neighbours leave.
 */
public final class CpuMeter {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final LongSupplier operations;
  private long processStart;
  private long workersStart;
  private long operationsStart;

  /**
   * CPU time over a stretch of operations.
   *
   * @param operations operations done so far, counted by operations
   * @param processNanos CPU time of the whole process
   * @param workerNanos CPU time of the threads named {@code mayfly-worker-*}
   */
  public record Reading(long operations, long processNanos, long workerNanos) {
    /** Process CPU time per operation, in nanoseconds (NaN without operations). */
    public double processNanosPerOperation() {
      return operations > 0 ? (double) processNanos / operations : Double.NaN;
    }

    /** Worker CPU time per operation, in nanoseconds (NaN without operations). */
    public double workerNanosPerOperation() {
      return operations > 0 ? (double) workerNanos / operations : Double.NaN;
    }

    /** Prints the JMH benchmarks' {@code [cpu]} line, if there were operations. */
    void print(String unit) {
      if (operations <= 0) {
        return;
      }
      System.out.printf(
          "%n[cpu] %.3f us/%s in the process, %.3f us/%s on mayfly workers (%d %ss)%n",
          processNanosPerOperation() / 1e3,
          unit,
          workerNanosPerOperation() / 1e3,
          unit,
          operations,
          unit);
    }
  }

  /**
   * @param operations a running count of operations
   */
  public CpuMeter(LongSupplier operations) {
    this.operations = operations;
  }

  /** Starts a stretch. */
  public void begin() {
    operationsStart = operations.getAsLong();
    processStart = os.getProcessCpuTime();
    workersStart = workerCpuNanos();
  }

  /** Ends the stretch started by {@link #begin}. */
  public Reading end() {
    return new Reading(
        operations.getAsLong() - operationsStart,
        os.getProcessCpuTime() - processStart,
        workerCpuNanos() - workersStart);
  }

  /** CPU time of the live threads named {@code mayfly-worker-*}. */
  private long workerCpuNanos() {
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("mayfly-worker-")) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, t);
      }
    }
    return sum;
  }
}
