package io.mayfly.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * CPU time per operation over one iteration, printed at its end: the whole process (workers, the
 * sending thread, GC, JIT) and the node's workers alone. On a shared machine this is steadier than
 * the throughput, which also depends on how much CPU the neighbours leave.
 */
final class CpuMeter {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final String unit;
  private final LongSupplier operations;
  private long processStart;
  private long workersStart;
  private long operationsStart;

  /**
   * @param unit what an operation is, for the printed line ({@code turn}, {@code activation})
   * @param operations a running count of operations
   */
  CpuMeter(String unit, LongSupplier operations) {
    this.unit = unit;
    this.operations = operations;
  }

  void begin() {
    operationsStart = operations.getAsLong();
    processStart = os.getProcessCpuTime();
    workersStart = workerCpuNanos();
  }

  void end() {
    long ops = operations.getAsLong() - operationsStart;
    if (ops <= 0) {
      return;
    }
    double process = (os.getProcessCpuTime() - processStart) / 1e3 / ops;
    double workers = (workerCpuNanos() - workersStart) / 1e3 / ops;
    System.out.printf(
        "%n[cpu] %.3f us/%s in the process, %.3f us/%s on mayfly workers (%d %ss)%n",
        process, unit, workers, unit, ops, unit);
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
