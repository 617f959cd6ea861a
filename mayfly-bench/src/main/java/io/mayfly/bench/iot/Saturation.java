package io.mayfly.bench.iot;

import org.HdrHistogram.Histogram;

/**
 * One saturation run of an implementation: turns handled in a measured window with as many readings
 * offered as it takes.
 *
 * @param turns turns handled in the window
 * @param nanos the window's length
 * @param latencies latency of the ask turns sent in the window (nanoseconds)
 * @param cpuNanosPerTurn CPU time of the process that runs the turns, per turn (NaN if unknown)
 * @param workerCpuNanosPerTurn CPU time of Mayfly's worker threads per turn (NaN for the others)
 */
record Saturation(
    long turns,
    long nanos,
    Histogram latencies,
    double cpuNanosPerTurn,
    double workerCpuNanosPerTurn) {
  /** Turns per second. */
  double rate() {
    return turns / (nanos / 1e9);
  }
}
