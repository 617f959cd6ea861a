package io.mayfly.bench.system;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;

/** Start: process start to first handled message. */
public final class StartWorkload implements Workload {
  @Override
  public String name() {
    return "start";
  }

  @Override
  public String title() {
    return "Start: process start to first handled message";
  }

  @Override
  public void run(Bench bench) {
    throw new UnsupportedOperationException("the start workload is not written yet");
  }
}
