package io.mayfly.bench.iot;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;

/** IoT stream: 10 000 sensor actors. */
public final class IotWorkload implements Workload {
  @Override
  public String name() {
    return "iot";
  }

  @Override
  public String title() {
    return "IoT stream: 10 000 sensor actors";
  }

  @Override
  public void run(Bench bench) {
    throw new UnsupportedOperationException("the iot workload is not written yet");
  }
}
