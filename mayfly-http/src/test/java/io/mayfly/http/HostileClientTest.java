package io.mayfly.http;

import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Mayfly;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that attack the node: event streams that never read, connections that send a byte now and
 * then, malformed requests by the hundred. Each attack must leave the heap within a fixed bound, a
 * well-behaved actor answering its asks throughout, and a count of what was refused.
 */
class HostileClientTest {
  private static final long MIB = 1 << 20;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Mayfly node;
  private MayflyHttpServer server;
  private TestClient http;
  private WellBehaved asker;
  private HeapWatch heap;

  @BeforeEach
  void start() {
    node = Mayfly.builder().workers(2).meterRegistry(registry).build();
    server =
        MayflyHttpServer.builder()
            .node(node)
            .port(0)
            .metrics(registry)
            .readTimeout(Duration.ofSeconds(1))
            .build()
            .start();
    http = new TestClient(server.url(), null);
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
    assertThat(http.post("/v1/actors/probe/good/ask", "put:k=v").statusCode()).isEqualTo(200);
    heap = new HeapWatch();
    asker = new WellBehaved(http);
  }

  @AfterEach
  void stop() {
    asker.stop();
    heap.stop();
    server.close();
  }

  private double count(String name, String reason) {
    Counter c = registry.find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  /** After the attack: the heap within the bound, every ask answered; prints the figures. */
  private void assertSurvived(String attack, long boundBytes, String offenderTold) {
    long grown = heap.usedAfterGc() - heap.baseline;
    asker.stop();
    heap.stop();
    System.out.printf(
        "hostile %s: peak heap %d MiB (baseline %d MiB, after GC +%d MiB, bound %d MiB); asks %d,"
            + " failed %d, p99 %.2f ms; offender told: %s%n",
        attack,
        heap.peak.get() / MIB,
        heap.baseline / MIB,
        grown / MIB,
        boundBytes / MIB,
        asker.latencies.size(),
        asker.failures.get(),
        asker.p99Millis(),
        offenderTold);
    assertThat(grown).as("heap growth after GC").isLessThan(boundBytes);
    assertThat(asker.latencies).as("asks answered during the attack").isNotEmpty();
    assertThat(asker.failures.get()).as("asks that failed during the attack").isZero();
  }

  @Test
  void eventStreamsThatNeverReadAreCutOffAndTheHeapStaysBounded() {
    int streams = 5;
    List<RawHttp> offenders = new ArrayList<>();
    try {
      for (int i = 0; i < streams; i++) {
        offenders.add(
            new RawHttp(server.port())
                .write("GET /v1/topics/t/events HTTP/1.1\r\nHost: x\r\n\r\n"));
      }
      byte[] megabyte = new byte[(int) MIB];

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                node.publish("t", megabyte);
                return count(HttpMetrics.EVENT_STREAMS_CLOSED, "slow_consumer") == streams;
              });
      // After the grace, the connections of clients that still do not read are closed.
      for (RawHttp o : offenders) {
        await().atMost(Duration.ofSeconds(10)).until(o::closedByServer);
      }

      // Each stream: its buffer (4 MiB) and the event it was writing (about 3.5x a payload as
      // text), with room for everything else the test allocates.
      assertSurvived(
          "sse-never-read",
          streams * (4 * MIB + 4 * MIB) + 64 * MIB,
          "stream ended (event closed, reason slow_consumer), connection closed after 1 s");
    } finally {
      offenders.forEach(RawHttp::close);
    }
  }

  @Test
  void slowConnectionsAreClosedAfterTheReadTimeout() {
    int clients = 200;
    List<RawHttp> offenders = new ArrayList<>();
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < clients; i++) {
        offenders.add(new RawHttp(server.port()).write("POST /v1/actors/probe/x HTTP/1.1\r\n"));
      }
      drip.scheduleAtFixedRate(
          () -> offenders.forEach(o -> o.tryWrite('x')), 0, 200, TimeUnit.MILLISECONDS);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(HttpMetrics.CONNECTIONS_CLOSED, "read_timeout") == clients);

      assertSurvived(
          "slowloris",
          64 * MIB,
          "connection closed after the 1 s read timeout, counted as read_timeout");
    } finally {
      drip.shutdownNow();
      offenders.forEach(RawHttp::close);
    }
  }

  @Test
  void malformedRequestsAreAnsweredWithJsonAndCounted() {
    List<String> requests =
        List.of(
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
            "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/actors/probe/a HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
            "NOT HTTP AT ALL\r\n\r\n");
    int rounds = 125;
    for (int i = 0; i < rounds; i++) {
      for (String request : requests) {
        try (var raw = new RawHttp(server.port())) {
          assertThat(raw.write(request).read().header("Content-Type"))
              .startsWith("application/json");
        }
      }
    }

    double refused =
        count(HttpMetrics.REJECTED, "bad_request") + count(HttpMetrics.REJECTED, "uri_too_long");
    assertThat(refused).isEqualTo(rounds * requests.size());
    assertSurvived(
        "malformed",
        64 * MIB,
        "400/414 with a JSON error body (bad_request, uri_too_long), connection closed");
  }

  /** Asks an actor in a loop on its own thread, recording each latency and any failure. */
  private static final class WellBehaved {
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    WellBehaved(TestClient http) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (running.get()) {
                      long t0 = System.nanoTime();
                      try {
                        var r = http.post("/v1/actors/probe/good/ask", "get:k");
                        if (r.statusCode() == 200) {
                          latencies.add(System.nanoTime() - t0);
                        } else {
                          failures.incrementAndGet();
                        }
                      } catch (RuntimeException e) {
                        failures.incrementAndGet();
                      }
                    }
                  });
    }

    void stop() {
      running.set(false);
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    double p99Millis() {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6;
    }
  }

  /** The heap in use: after a GC before the attack, and its peak sampled during it. */
  private static final class HeapWatch {
    final long baseline = usedAfterGc();
    final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    HeapWatch() {
      sampler.scheduleAtFixedRate(
          () -> peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max),
          0,
          5,
          TimeUnit.MILLISECONDS);
    }

    long usedAfterGc() {
      MEMORY.gc();
      return MEMORY.getHeapMemoryUsage().getUsed();
    }

    void stop() {
      sampler.shutdownNow();
    }
  }
}
