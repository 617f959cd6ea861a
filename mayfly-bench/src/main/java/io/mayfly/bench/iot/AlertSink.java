package io.mayfly.bench.iot;

/** Where an actor implementation delivers the alerts its sensors raise. Thread-safe. */
interface AlertSink {
  /**
   * Sensor {@code sensor} of {@code group} read {@code x}, more than 3 deviations off {@code mean}.
   */
  void alert(Group group, int sensor, double x, double mean);

  /** Something arrived that is not an alert of the expected form (it fails the next run). */
  void malformed(String description);
}
