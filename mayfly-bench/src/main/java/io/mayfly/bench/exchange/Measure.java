package io.mayfly.bench.exchange;

import io.mayfly.bench.suite.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Runs one kind of request for a while and measures it: the latency of each request with one in
 * flight, or the rate with {@link #CALLERS} callers each keeping one request in flight.
 */
final class Measure implements AutoCloseable {
  /** Requests in flight in the throughput runs. */
  static final int CALLERS = 8;

  /** One request; it throws if the answer is wrong. */
  @FunctionalInterface
  interface Request {
    void run();
  }

  private final ExecutorService callers =
      Executors.newFixedThreadPool(
          CALLERS, Thread.ofPlatform().daemon().name("caller-", 0).factory());

  /**
   * One request at a time on the calling thread for {@code nanos} (and at least {@code min}
   * requests).
   *
   * @return the latency of each request, in nanoseconds
   */
  Histogram latency(Request request, long nanos, int min) {
    Histogram latencies = Stats.latencyHistogram();
    long end = System.nanoTime() + nanos;
    for (int done = 0; done < min || System.nanoTime() < end; done++) {
      long start = System.nanoTime();
      request.run();
      latencies.recordValue(System.nanoTime() - start);
    }
    return latencies;
  }

  /**
   * {@link #CALLERS} callers, each running requests back to back for {@code nanos}.
   *
   * @return requests completed per second, from the start until the last caller finished
   */
  double throughput(Request request, long nanos) throws InterruptedException {
    var go = new CountDownLatch(1);
    List<Future<Long>> counts = new ArrayList<>(CALLERS);
    for (int i = 0; i < CALLERS; i++) {
      counts.add(callers.submit(() -> callRepeatedly(request, go, nanos)));
    }
    long start = System.nanoTime();
    go.countDown();
    long total = 0;
    for (Future<Long> count : counts) {
      total += result(count);
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static long callRepeatedly(Request request, CountDownLatch go, long nanos)
      throws InterruptedException {
    go.await();
    long end = System.nanoTime() + nanos;
    long done = 0;
    while (System.nanoTime() < end) {
      request.run();
      done++;
    }
    return done;
  }

  private static long result(Future<Long> count) throws InterruptedException {
    try {
      return count.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("a caller failed", e.getCause());
    }
  }

  @Override
  public void close() {
    callers.shutdownNow();
  }
}
