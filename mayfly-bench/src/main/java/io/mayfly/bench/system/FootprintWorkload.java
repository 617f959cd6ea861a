package io.mayfly.bench.system;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;

/** Footprint and activation. */
public final class FootprintWorkload implements Workload {
  @Override
  public String name() {
    return "footprint";
  }

  @Override
  public String title() {
    return "Footprint and activation";
  }

  @Override
  public void run(Bench bench) {
    throw new UnsupportedOperationException("the footprint workload is not written yet");
  }
}
