package io.mayfly.cli;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Subscription;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The IoT window workload, live: a fleet of simulated sensors sends readings to {@code sensor.wasm}
 * actors on an embedded node (examples/sensor-anomaly; the sensors report their alerts to {@code
 * site.wasm} aggregators, one per 100 sensors), while the demo samples ask latency, counts alerts
 * and refreshes the view once a second. One thread drives everything; actor turns run on the node's
 * workers.
 *
 * <p>Load is paced by a token bucket when a rate is given, and always bounded by a window of
 * messages in flight (sent but not yet handled), so the node's queues stay short and the asks
 * measure the node, not a backlog. A full mailbox is answered by pausing and retrying the reading.
 */
final class SensorDemo {
  static final String TYPE = "sensor";

  /** The per-site aggregator the sensors report their alerts to. */
  static final String SITE_TYPE = "site";

  /** Sites are kept while alerts arrive (after-write), as in examples/sensor-anomaly. */
  static final TypeConfig SITE_CONFIG =
      TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(10))).build();

  private static final long SECOND = 1_000_000_000L;
  private static final long FRAME_NANOS = SECOND;
  private static final long ASK_INTERVAL_NANOS = 20_000_000L;
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final int CHUNK = 256;
  private static final long MIN_PAUSE_NANOS = 50_000L;
  private static final long MAX_PAUSE_NANOS = 1_000_000L;
  private static final long MAX_BACKOFF_NANOS = 10_000_000L;
  private static final double SPIKE_PROBABILITY = 1e-4;
  private static final byte[] EMPTY = new byte[0];

  /**
   * What to run.
   *
   * @param sensors how many sensor actors
   * @param rate readings per second in total, 0 for as fast as the node takes them
   * @param duration how long to run, {@code null} until stopped
   * @param seed seeds the simulated readings
   * @param workers the node's CPU workers
   */
  record Settings(int sensors, long rate, Duration duration, long seed, int workers) {
    String describe() {
      return DemoView.count(sensors)
          + (sensors == 1 ? " sensor actor (" : " sensor actors (")
          + TYPE
          + ".wasm), "
          + (rate == 0 ? "max rate" : DemoView.rate(rate))
          + ", "
          + workers
          + (workers == 1 ? " worker" : " workers")
          + (duration == null ? "" : ", " + duration.toSeconds() + " s");
    }
  }

  private final Settings settings;
  private final byte[] module;
  private final byte[] siteModule;
  private final DemoView view;
  private final AtomicBoolean stopRequested;
  private final SensorFleet fleet;
  private final AlertLog alerts = new AlertLog(5);

  /** Ask latencies in nanoseconds, recorded on the node's threads, read once per frame. */
  private final Recorder askLatency = new Recorder(3);

  /** Every ask latency so far; the driving thread adds each frame's interval to it. */
  private final Histogram allAskLatencies = new Histogram(3);

  private final LongAdder askErrors = new LongAdder();
  private final long maxInFlight;
  private volatile boolean stopping;

  // Written by the driving thread only.
  private long readings;
  private long spikes;
  private long asks;
  private long mailboxFull;
  private long backoffNanos = MIN_PAUSE_NANOS;
  private SensorFleet.Reading pending;

  /**
   * @param module the sensor actor's Wasm module
   * @param siteModule the site aggregator's Wasm module
   * @param stopRequested set (by Ctrl-C) to end the run early
   */
  SensorDemo(
      Settings settings,
      byte[] module,
      byte[] siteModule,
      DemoView view,
      AtomicBoolean stopRequested) {
    this.settings = settings;
    this.module = module;
    this.siteModule = siteModule;
    this.view = view;
    this.stopRequested = stopRequested;
    this.fleet = new SensorFleet(TYPE, settings.sensors(), settings.seed(), SPIKE_PROBABILITY);
    // Enough queued turns to keep every worker busy between two checks of the sender, few enough
    // that an ask waits behind a millisecond or two of work, not behind a backlog.
    this.maxInFlight = 512L * settings.workers();
  }

  /** Starts a node, runs the workload until the duration passes or a stop is requested. */
  void run() {
    Mayfly node = Mayfly.builder().workers(settings.workers()).build();
    try {
      node.deploy(TYPE, module);
      node.deploy(SITE_TYPE, siteModule, SITE_CONFIG);
      view.starting();
      long start = System.nanoTime();
      try (Subscription _ = node.subscribe(AlertLog.FILTER, alerts)) {
        drive(node, start);
        stopping = true;
        node.close(); // drains what is queued, so the summary counts every reading's turn
      }
      long elapsed = System.nanoTime() - start;
      allAskLatencies.add(askLatency.getIntervalHistogram());
      view.summary(
          new DemoView.Summary(
              Duration.ofNanos(elapsed),
              readings,
              node.stats(),
              alerts.total(),
              spikes,
              percentile(allAskLatencies, 50),
              percentile(allAskLatencies, 99),
              asks,
              askErrors.sum(),
              mailboxFull));
    } finally {
      stopping = true;
      node.close();
    }
  }

  private void drive(Mayfly node, long start) {
    long end = settings.duration() == null ? Long.MAX_VALUE : start + settings.duration().toNanos();
    long nextFrame = start + FRAME_NANOS;
    long nextAsk = start;
    long lastFrame = start;
    long lastReadings = 0;
    long lastTurns = 0;
    double permits = 0;
    long lastRefill = start;
    double burst = Math.max(CHUNK, settings.rate() / 20.0); // at most 50 ms of catching up
    while (!stopRequested.get()) {
      long now = System.nanoTime();
      if (settings.duration() != null && now - end >= 0) {
        return;
      }
      if (now - nextFrame >= 0) {
        NodeStats stats = node.stats();
        double seconds = (now - lastFrame) / (double) SECOND;
        view.frame(frame(now - start, seconds, lastReadings, lastTurns, stats));
        lastFrame = now;
        lastReadings = readings;
        lastTurns = stats.turns();
        nextFrame = Math.max(nextFrame + FRAME_NANOS, now + FRAME_NANOS / 2);
      }
      if (now - nextAsk >= 0) {
        sampleAsk(node);
        nextAsk += ASK_INTERVAL_NANOS;
      }
      int budget = CHUNK;
      if (settings.rate() > 0) {
        permits =
            Math.min(burst, permits + settings.rate() * ((now - lastRefill) / (double) SECOND));
        lastRefill = now;
        budget = (int) Math.min(CHUNK, permits);
      }
      if (budget > 0 && readings + asks - node.stats().turns() > maxInFlight) {
        budget = 0;
      }
      if (budget == 0) {
        LockSupport.parkNanos(pause(permits));
        continue;
      }
      permits -= send(node, budget);
    }
  }

  /** How long to wait for the next permit (at a low rate) or for the node to catch up. */
  private long pause(double permits) {
    if (settings.rate() == 0 || permits >= 1) {
      return MIN_PAUSE_NANOS;
    }
    long untilNextPermit = (long) ((1 - permits) * SECOND / settings.rate());
    return Math.clamp(untilNextPermit, MIN_PAUSE_NANOS, MAX_PAUSE_NANOS);
  }

  /** Sends up to {@code budget} readings; returns how many the node accepted. */
  private int send(Mayfly node, int budget) {
    for (int i = 0; i < budget; i++) {
      if (pending == null) {
        pending = fleet.nextReading();
      }
      try {
        node.tell(pending.sensor(), pending.payload());
      } catch (MailboxFullException e) {
        // Backpressure: pause, then retry the same reading (more and more patiently).
        mailboxFull++;
        LockSupport.parkNanos(backoffNanos);
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        return i;
      }
      readings++;
      if (pending.spike()) {
        spikes++;
      }
      pending = null;
      backoffNanos = MIN_PAUSE_NANOS;
    }
    return budget;
  }

  /** Asks a random sensor for its window's mean and times the answer. */
  private void sampleAsk(Mayfly node) {
    Address sensor = fleet.randomSensor();
    long sent = System.nanoTime();
    asks++;
    node.ask(sensor, EMPTY, ASK_TIMEOUT)
        .whenComplete(
            (reply, error) -> {
              if (error == null) {
                askLatency.recordValue(System.nanoTime() - sent);
              } else if (!(stopping && unwrap(error) instanceof NodeClosedException)) {
                askErrors.increment();
              }
            });
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private DemoView.Frame frame(
      long elapsed, double seconds, long lastReadings, long lastTurns, NodeStats stats) {
    Histogram interval = askLatency.getIntervalHistogram();
    allAskLatencies.add(interval);
    return new DemoView.Frame(
        Duration.ofNanos(elapsed),
        (readings - lastReadings) / seconds,
        (stats.turns() - lastTurns) / seconds,
        readings,
        stats,
        percentile(interval, 50),
        percentile(interval, 99),
        asks,
        askErrors.sum(),
        mailboxFull,
        alerts.total(),
        spikes,
        alerts.latest());
  }

  /** The value at a percentile (0-100), or -1 if nothing was recorded. */
  private static long percentile(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile);
  }
}
