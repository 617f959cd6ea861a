package io.mayfly.bench.iot;

import io.mayfly.bench.CpuMeter;
import io.mayfly.bench.suite.Stats;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * An actor implementation (Mayfly or Pekko) driven from one thread, the way a client feeds it: the
 * driver tells (and 1 in 100 times asks) the sensors round-robin and watches the fleet's count of
 * handled turns. On a 2-core machine the driver shares the cores with the actors, for Mayfly and
 * Pekko alike.
 *
 * <p>Messages in flight (sent, not yet handled) are bounded by {@link #inFlightBound}: two rounds
 * of one message per sensor, and at least {@value #MIN_IN_FLIGHT}. When the bound is reached the
 * driver parks until half of it has been handled. On average a mailbox then holds two messages
 * (with 10 000 sensors), 164 with 100. The bound is on the sum, not on each mailbox: a sensor that
 * fell behind (its thread descheduled in the middle of its turns while the others ran) stays behind
 * under a scheduler that is fair in turns, so one mailbox can hold many times the average. A
 * message its bounded mailbox refuses is sent again, in the same order, once the fleet has handled
 * up to {@value #REFUSAL_WAIT_TURNS} more turns; the refusals are counted ({@link #refusals}).
 */
final class ActorDriven implements Implementation {
  /** The least number of messages in flight, so a few sensors still have work queued. */
  static final int MIN_IN_FLIGHT = 16_384;

  /** The most sensors a run may use. */
  static final int MAX_SENSORS = 100_000;

  /** The most turns the driver waits for after a refusal before it sends the message again. */
  static final int REFUSAL_WAIT_TURNS = 32;

  /** Messages sent between two looks at the clock. */
  private static final int CHUNK = 64;

  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long NOW = Long.MIN_VALUE;

  private final AlertLog alerts = new AlertLog();
  private final ActorFleet fleet;
  private final TimingTable table;
  private final AtomicLong pendingAsks = new AtomicLong();
  private final AtomicReference<Throwable> askFailure = new AtomicReference<>();
  private final long base;
  private long sent;
  private long seen;
  private long refusals;
  private long next;
  private int filled;
  private boolean verified;
  private double turnsPerNano;

  /**
   * @param start starts the fleet, given the sink for its alerts
   */
  ActorDriven(Function<AlertSink, ActorFleet> start, TimingTable table) {
    this.fleet = start.apply(alerts);
    this.table = table;
    this.base = fleet.turns();
    this.seen = base;
  }

  /** Mayfly with one worker per core. */
  static ActorDriven mayfly(int cores, TimingTable table) {
    return new ActorDriven(sink -> new MayflyFleet(cores, sink), table);
  }

  /** Pekko typed with its default dispatcher. */
  static ActorDriven pekkoDefault(TimingTable table) {
    return new ActorDriven(PekkoFleet::withDefaultDispatcher, table);
  }

  /** Pekko typed with a dispatcher of {@code cores} threads. */
  static ActorDriven pekkoSized(int cores, TimingTable table) {
    return new ActorDriven(sink -> PekkoFleet.withDispatcherOf(cores, sink), table);
  }

  /** Messages allowed in flight for a run over {@code sensors} sensors. */
  static int inFlightBound(int sensors) {
    if (sensors < 1 || sensors > MAX_SENSORS) {
      throw new IllegalArgumentException(
          "runs use 1 to " + MAX_SENSORS + " sensors, not " + sensors);
    }
    return Math.max(2 * sensors, MIN_IN_FLIGHT);
  }

  @Override
  public String name() {
    return fleet.name();
  }

  @Override
  public Outcome verify(VerificationStream stream) {
    if (verified) {
      throw new IllegalStateException(name() + ": the verification sensors are used already");
    }
    verified = true;
    fleet.grow(Group.VERIFICATION, stream.sensors());
    var replies = new ConcurrentLinkedQueue<Outcome.Reply>();
    int bound = inFlightBound(stream.sensors());
    List<VerificationStream.Message> messages = stream.messages();
    for (int k = 0; k < messages.size(); k++) {
      VerificationStream.Message m = messages.get(k);
      makeRoom(bound);
      if (m.ask()) {
        int message = k;
        ask(
            Group.VERIFICATION,
            m.sensor(),
            m.reading(),
            s -> replies.add(new Outcome.Reply(m.sensor(), message, s.mean(), s.count())));
      } else {
        tell(Group.VERIFICATION, m.sensor(), m.reading());
      }
    }
    drain();
    fleet.awaitAlerts();
    alerts.check(name());
    return Outcome.of(alerts.verification, replies);
  }

  @Override
  public void fill(int sensors) {
    if (sensors <= filled) {
      return;
    }
    fleet.grow(Group.TIMED, sensors);
    int count = sensors - filled;
    int bound = inFlightBound(count);
    int sensor = 0;
    for (long j = 0; j < (long) Window.SIZE * count; j++) {
      makeRoom(bound);
      tell(Group.TIMED, filled + sensor, table.reading(next++));
      if (++sensor == count) {
        sensor = 0;
      }
    }
    drain();
    filled = sensors;
  }

  @Override
  public Saturation saturate(int sensors, long warmUpNanos, long windowNanos) {
    fill(sensors);
    offer(sensors, warmUpNanos, null);
    Histogram latencies = Stats.latencyHistogram();
    var cpu = new CpuMeter(fleet::turns);
    long before = fleet.turns();
    long start = System.nanoTime();
    cpu.begin();
    offer(sensors, windowNanos, latencies);
    long end = System.nanoTime();
    long after = fleet.turns();
    CpuMeter.Reading used = cpu.end();
    drain();
    alerts.check(name());
    return new Saturation(
        after - before,
        end - start,
        latencies,
        used.processNanosPerOperation(),
        fleet.hasWorkerThreads() ? used.workerNanosPerOperation() : Double.NaN);
  }

  /** Sends as fast as the bound on messages in flight allows, for {@code nanos}. */
  private void offer(int sensors, long nanos, Histogram latencies) {
    int bound = inFlightBound(sensors);
    long end = System.nanoTime() + nanos;
    int sensor = 0;
    do {
      for (int c = 0; c < CHUNK; c++) {
        makeRoom(bound);
        send(sensor, latencies, NOW);
        if (++sensor == sensors) {
          sensor = 0;
        }
      }
    } while (System.nanoTime() - end < 0);
  }

  @Override
  public Histogram paced(int sensors, double perSecond, long nanos) {
    fill(sensors);
    Histogram latencies = Stats.latencyHistogram();
    int bound = inFlightBound(sensors);
    double interval = 1e9 / perSecond;
    long total = Math.max(1, (long) (perSecond * nanos / 1e9));
    long start = System.nanoTime();
    int sensor = 0;
    long j = 0;
    while (j < total) {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / interval) + 1);
      if (j >= due) {
        // Nothing is due: leave the cores to the actors until the next message's time.
        LockSupport.parkNanos(start + (long) (j * interval) - now);
        continue;
      }
      for (; j < due; j++) {
        makeRoom(bound);
        send(sensor, latencies, start + (long) (j * interval));
        if (++sensor == sensors) {
          sensor = 0;
        }
      }
    }
    drain();
    alerts.check(name());
    return latencies;
  }

  /**
   * Sends the next entry of the table to a timed sensor; an ask's latency, from {@code scheduled}
   * (or from now) to its reply, goes into {@code latencies} (if any).
   */
  private void send(int sensor, Histogram latencies, long scheduled) {
    long entry = next++;
    byte[] reading = table.reading(entry);
    if (!table.ask(entry)) {
      tell(Group.TIMED, sensor, reading);
      return;
    }
    long start = scheduled == NOW ? System.nanoTime() : scheduled;
    ask(
        Group.TIMED,
        sensor,
        reading,
        s -> {
          if (latencies != null) {
            long latency = System.nanoTime() - start;
            synchronized (latencies) {
              latencies.recordValue(Math.max(1, latency));
            }
          }
        });
  }

  private void tell(Group group, int sensor, byte[] reading) {
    while (!fleet.tell(group, sensor, reading)) {
      awaitRoom();
    }
    sent++;
  }

  private void ask(Group group, int sensor, byte[] reading, Consumer<WindowStats> onReply) {
    CompletionStage<WindowStats> reply;
    while ((reply = fleet.ask(group, sensor, reading)) == null) {
      awaitRoom();
    }
    pendingAsks.incrementAndGet();
    sent++;
    reply.whenComplete(
        (stats, failure) -> {
          try {
            if (failure != null) {
              askFailure.compareAndSet(null, failure);
            } else {
              onReply.accept(stats);
            }
          } finally {
            pendingAsks.decrementAndGet();
          }
        });
  }

  /**
   * A mailbox refused a message: waits until the fleet has handled {@value #REFUSAL_WAIT_TURNS}
   * more turns, or all it has (the refused mailbox is not empty, so at least one).
   */
  private void awaitRoom() {
    refusals++;
    long turns = fleet.turns();
    awaitTurns(turns + Math.min(REFUSAL_WAIT_TURNS, base + sent - turns));
  }

  /** Messages refused with a full mailbox (and sent again) since the fleet started. */
  @Override
  public long refusals() {
    return refusals;
  }

  /** Waits, if the bound is reached, until half of the messages in flight are handled. */
  private void makeRoom(int bound) {
    if (base + sent - seen >= bound) {
      awaitTurns(base + sent - bound / 2);
    }
  }

  /** Waits until everything sent is handled and every ask answered. */
  private void drain() {
    awaitTurns(base + sent);
    long since = System.nanoTime();
    while (pendingAsks.get() > 0) {
      LockSupport.parkNanos(MIN_PARK_NANOS);
      if (System.nanoTime() - since > STALL_NANOS) {
        throw new IllegalStateException(
            name() + ": " + pendingAsks.get() + " asks unanswered 30 s after their turns");
      }
    }
    Throwable failure = askFailure.getAndSet(null);
    if (failure != null) {
      throw new IllegalStateException(name() + ": an ask failed: " + failure, failure);
    }
  }

  /**
   * Parks until the fleet has handled {@code target} turns, looking more often as it gets close
   * (from the rate seen so far), so the driver neither spins nor oversleeps.
   */
  private void awaitTurns(long target) {
    long turns = fleet.turns();
    long look = System.nanoTime();
    long progress = look;
    while (turns < target) {
      LockSupport.parkNanos(parkNanos(target - turns));
      long now = System.nanoTime();
      long t = fleet.turns();
      if (t > turns) {
        double observed = (t - turns) / (double) Math.max(1, now - look);
        turnsPerNano = turnsPerNano == 0 ? observed : (turnsPerNano + observed) / 2;
        progress = now;
      } else if (now - progress > STALL_NANOS) {
        throw new IllegalStateException(
            name()
                + ": no turn handled for 30 s, "
                + (target - t)
                + " short of "
                + (target - base)
                + " messages sent");
      }
      turns = t;
      look = now;
    }
    seen = turns;
  }

  private long parkNanos(long missing) {
    if (turnsPerNano <= 0) {
      return MIN_PARK_NANOS;
    }
    long expected = (long) (missing / turnsPerNano / 2);
    return Math.clamp(expected, MIN_PARK_NANOS, MAX_PARK_NANOS);
  }

  @Override
  public void close() {
    fleet.close();
  }

  /** The alerts of the verification stream, kept; those of the timed runs, counted. */
  private static final class AlertLog implements AlertSink {
    final ConcurrentLinkedQueue<Outcome.Alert> verification = new ConcurrentLinkedQueue<>();
    final LongAdder timed = new LongAdder();
    final AtomicReference<String> malformed = new AtomicReference<>();

    @Override
    public void alert(Group group, int sensor, double x, double mean) {
      if (group == Group.VERIFICATION) {
        verification.add(new Outcome.Alert(sensor, x, mean));
      } else {
        timed.increment();
      }
    }

    @Override
    public void malformed(String description) {
      malformed.compareAndSet(null, description);
    }

    void check(String name) {
      String problem = malformed.get();
      if (problem != null) {
        throw new IllegalStateException(name + ": the alerts were not as expected: " + problem);
      }
    }
  }
}
