package io.mayfly.bench.system;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;

/** Ingress: HTTP ask and MQTT ingest. */
public final class IngressWorkload implements Workload {
  @Override
  public String name() {
    return "ingress";
  }

  @Override
  public String title() {
    return "Ingress: HTTP ask and MQTT ingest";
  }

  @Override
  public void run(Bench bench) {
    throw new UnsupportedOperationException("the ingress workload is not written yet");
  }
}
