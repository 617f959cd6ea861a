package io.mayfly.bench.system;

import io.mayfly.bench.suite.Bench;
import io.mayfly.bench.suite.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Ingress: requests from outside the node, through its two network adapters.
 *
 * <ul>
 *   <li><b>HTTP ask</b>: {@code wrk} (keep-alive, 2 threads, on the same machine) asks 1000 counter
 *       actors ({@code counter.wasm}) through Mayfly's HTTP API at 8, 32 and 64 connections:
 *       requests per second and wrk's p50/p99. Peer: the same route on a plain Helidon SE handler
 *       (the HTTP layer's ceiling). Bar: at least 30 k req/s with p99 at most 5 ms.
 *   <li><b>MQTT ingest</b>: a Java publisher sends 64-byte readings to a real mosquitto, which
 *       Mayfly's MQTT bridge routes into 1000 sensor actors ({@code sensor.wasm}), at QoS 0 and 1:
 *       turns per second when publishing as fast as the broker takes them, and the latency from
 *       publication to the end of the turn at half that rate. Peer: a plain MQTT subscriber
 *       receiving the same stream from the same broker.
 * </ul>
 *
 * <p>Each measurement is repeated {@link Bench#reps()} times; the tables give medians, ranges and
 * the ratios to the peers. Needs the Debian packages {@code wrk} and {@code mosquitto}.
 */
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
  public void run(Bench bench) throws Exception {
    bench
        .report()
        .text(
            "HTTP asks driven by wrk through Mayfly's HTTP API into Wasm counter actors, against"
                + " the same route on a plain Helidon handler; MQTT readings through mosquitto and"
                + " Mayfly's bridge into Wasm sensor actors, against a plain subscriber on the same"
                + " broker. Everything runs on this machine; both servers are embedded in the"
                + " suite's JVM.");
    // The wrk script and the broker's configuration and log: scratch files, not results.
    Path scratch = Files.createTempDirectory("mayfly-ingress-");
    try {
      Exception failed = null;
      try {
        new IngressHttpBench(bench).run(scratch);
      } catch (Exception e) {
        // Report it and go on: the MQTT half does not depend on the HTTP half.
        bench.report().failure("ingress, HTTP ask", e);
        failed = e;
      }
      new IngressMqttBench(bench).run(scratch);
      if (failed != null) {
        throw failed;
      }
    } finally {
      delete(scratch);
    }
  }

  /** One figure of each run, for {@link io.mayfly.bench.suite.Stats#median(double...)}. */
  static <T> double[] values(List<T> runs, ToDoubleFunction<T> figure) {
    return runs.stream().mapToDouble(figure).toArray();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
