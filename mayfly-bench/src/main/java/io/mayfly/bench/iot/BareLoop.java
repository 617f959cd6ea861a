package io.mayfly.bench.iot;

import io.mayfly.bench.CpuMeter;
import io.mayfly.bench.suite.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The ceiling: the same logic ({@link Window}) as a plain Java loop over an array of windows on one
 * thread, no actors, no Wasm, no mailbox; a message is handled when the loop reaches it (run to
 * completion). It still decodes each 64-byte reading, and an ask still computes the statistics.
 *
 * <p>Latency: at saturation an ask is sent when the loop takes it, so its latency is its own turn;
 * in a paced run it is counted from the ask's scheduled time to the end of its turn, so waiting
 * behind earlier messages counts.
 */
final class BareLoop implements Implementation {
  private static final int CHUNK = 1024;

  private final TimingTable table;
  private Window[] windows = new Window[0];
  private int filled;
  private long next;
  private long handled;

  /** Alerts raised and the asks' answers, kept so the JIT cannot drop the work. */
  private long alerts;

  private double answered;

  BareLoop(TimingTable table) {
    this.table = table;
  }

  @Override
  public String name() {
    return "bare loop";
  }

  @Override
  public Outcome verify(VerificationStream stream) {
    var fresh = new Window[stream.sensors()];
    Arrays.setAll(fresh, i -> new Window());
    var alertList = new ArrayList<Outcome.Alert>();
    var replies = new ArrayList<Outcome.Reply>();
    List<VerificationStream.Message> messages = stream.messages();
    for (int k = 0; k < messages.size(); k++) {
      VerificationStream.Message m = messages.get(k);
      Window w = fresh[m.sensor()];
      if (m.ask()) {
        w.inspect();
        replies.add(new Outcome.Reply(m.sensor(), k, w.mean(), w.count()));
      } else {
        double x = Readings.value(m.reading());
        if (w.read(x)) {
          alertList.add(new Outcome.Alert(m.sensor(), x, w.mean()));
        }
      }
    }
    return Outcome.of(alertList, replies);
  }

  @Override
  public void fill(int sensors) {
    if (sensors <= filled) {
      return;
    }
    windows = Arrays.copyOf(windows, sensors);
    for (int i = filled; i < sensors; i++) {
      windows[i] = new Window();
      for (int r = 0; r < Window.SIZE; r++) {
        windows[i].read(Readings.value(table.reading(next++)));
      }
    }
    filled = sensors;
  }

  @Override
  public Saturation saturate(int sensors, long warmUpNanos, long windowNanos) {
    fill(sensors);
    run(sensors, warmUpNanos, null);
    Histogram latencies = Stats.latencyHistogram();
    var cpu = new CpuMeter(() -> handled);
    cpu.begin();
    long start = System.nanoTime();
    long turns = run(sensors, windowNanos, latencies);
    long end = System.nanoTime();
    CpuMeter.Reading used = cpu.end();
    return new Saturation(
        turns, end - start, latencies, used.processNanosPerOperation(), Double.NaN);
  }

  /** Handles messages as fast as it can for {@code nanos}; returns how many. */
  private long run(int sensors, long nanos, Histogram latencies) {
    long end = System.nanoTime() + nanos;
    long done = 0;
    int sensor = 0;
    do {
      for (int c = 0; c < CHUNK; c++) {
        long entry = next++;
        if (table.ask(entry) && latencies != null) {
          long start = System.nanoTime();
          handle(sensor, entry);
          latencies.recordValue(Math.max(1, System.nanoTime() - start));
        } else {
          handle(sensor, entry);
        }
        if (++sensor == sensors) {
          sensor = 0;
        }
      }
      done += CHUNK;
      handled += CHUNK;
    } while (System.nanoTime() - end < 0);
    return done;
  }

  @Override
  public Histogram paced(int sensors, double perSecond, long nanos) {
    fill(sensors);
    Histogram latencies = Stats.latencyHistogram();
    double interval = 1e9 / perSecond;
    long total = Math.max(1, (long) (perSecond * nanos / 1e9));
    long start = System.nanoTime();
    int sensor = 0;
    long j = 0;
    while (j < total) {
      // One look at the clock per batch of due messages, and one after each ask.
      long due = Math.min(total, (long) ((System.nanoTime() - start) / interval) + 1);
      for (; j < due; j++) {
        long entry = next++;
        handle(sensor, entry);
        if (table.ask(entry)) {
          long scheduled = start + (long) (j * interval);
          latencies.recordValue(Math.max(1, System.nanoTime() - scheduled));
        }
        if (++sensor == sensors) {
          sensor = 0;
        }
      }
      Thread.onSpinWait();
    }
    return latencies;
  }

  private void handle(int sensor, long entry) {
    Window w = windows[sensor];
    if (table.ask(entry)) {
      w.inspect();
      answered += w.mean() + w.count();
    } else if (w.read(Readings.value(table.reading(entry)))) {
      alerts++;
      answered += w.mean();
    }
  }

  @Override
  public void close() {}
}
