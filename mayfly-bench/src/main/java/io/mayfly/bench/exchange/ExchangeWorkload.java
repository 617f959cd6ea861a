package io.mayfly.bench.exchange;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;

/** Data exchange: chains and fan-out/fan-in. */
public final class ExchangeWorkload implements Workload {
  @Override
  public String name() {
    return "exchange";
  }

  @Override
  public String title() {
    return "Data exchange: chains and fan-out/fan-in";
  }

  @Override
  public void run(Bench bench) {
    throw new UnsupportedOperationException("the exchange workload is not written yet");
  }
}
