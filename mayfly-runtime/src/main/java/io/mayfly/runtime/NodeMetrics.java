package io.mayfly.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * A node's counters. Counting is a {@link LongAdder} increment on the hot path; meters read the
 * adders when scraped. Turns and failed turns are counted per type (and per reason), the rest per
 * node. The turn latency timer exists only when a registry is given.
 */
final class NodeMetrics {
  /** The node figures that gauges read when scraped. */
  interface Figures {
    long activeActors();

    long storedActors();

    long stateBytes();

    long pendingAsks();

    long pendingTimers();
  }

  final LongAdder turns = new LongAdder();
  private final LongAdder[] failed = new LongAdder[FailureReason.values().length];
  final LongAdder expirations = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder deadLetters = new LongAdder();
  final LongAdder queued = new LongAdder();
  final LongAdder queuedBytes = new LongAdder();
  final LongAdder overloaded = new LongAdder();
  final LongAdder activations = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder idsForgotten = new LongAdder();
  private final MeterRegistry registry;
  private final Timer turnLatency;
  private final Map<String, TypeCounters> byType = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> typeMeters = new ConcurrentHashMap<>();

  NodeMetrics(MeterRegistry registry, Figures figures) {
    this.registry = registry;
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new LongAdder();
    }
    if (registry == null) {
      turnLatency = null;
      return;
    }
    counter("mayfly.state.expirations", "actors dropped at TTL", expirations);
    counter("mayfly.state.evictions", "actors dropped over budget", evictions);
    counter("mayfly.messages.rejected", "messages refused at ingress", rejected);
    counter("mayfly.messages.dead", "undeliverable messages between actors", deadLetters);
    counter("mayfly.activations", "mailboxes created", activations);
    counter(
        "mayfly.idempotency.keys.forgotten",
        "idempotency keys an actor forgot before their window ended, beyond its bounds",
        idsForgotten);
    Gauge.builder("mayfly.mailbox.depth", queued, LongAdder::sum)
        .description("messages waiting in mailboxes")
        .register(registry);
    Gauge.builder("mayfly.queue.bytes", queuedBytes, LongAdder::sum)
        .description("bytes of messages waiting in mailboxes, charged against the queue budget")
        .baseUnit("bytes")
        .register(registry);
    counter(
        "mayfly.messages.overloaded",
        "messages refused because the node's queue budget was spent",
        overloaded);
    gauge("mayfly.actors.active", "actors with a mailbox", figures, Figures::activeActors);
    gauge("mayfly.actors.stored", "actors with short-term state", figures, Figures::storedActors);
    gauge("mayfly.asks.pending", "asks waiting for their reply", figures, Figures::pendingAsks);
    gauge(
        "mayfly.timers.pending",
        "actor timers and ask timeouts scheduled",
        figures,
        Figures::pendingTimers);
    Gauge.builder("mayfly.state.bytes", figures, f -> f.stateBytes())
        .description("bytes of short-term state charged against the budget")
        .baseUnit("bytes")
        .register(registry);
    turnLatency =
        Timer.builder("mayfly.turn.duration")
            .description("time from enqueue to the end of the turn")
            .publishPercentileHistogram()
            .register(registry);
  }

  private void counter(String name, String description, LongAdder adder) {
    FunctionCounter.builder(name, adder, LongAdder::sum)
        .description(description)
        .register(registry);
  }

  private void gauge(String name, String description, Figures f, ToLongFunction<Figures> read) {
    Gauge.builder(name, f, x -> read.applyAsLong(x)).description(description).register(registry);
  }

  /** The counters of {@code type}, registered as meters with a {@code type} tag. */
  TypeCounters countersFor(String type) {
    return byType.computeIfAbsent(type, this::register);
  }

  private TypeCounters register(String type) {
    var c = new TypeCounters();
    if (registry != null) {
      var meters = new ArrayList<Meter>();
      meters.add(
          FunctionCounter.builder("mayfly.turns", c.turns, LongAdder::sum)
              .description("turns run, committed or not")
              .tag("type", type)
              .register(registry));
      meters.add(
          FunctionCounter.builder("mayfly.messages.duplicate", c.duplicates, LongAdder::sum)
              .description("messages not handled again: their idempotency key was handled")
              .tag("type", type)
              .register(registry));
      meters.add(
          FunctionCounter.builder("mayfly.actor.log.dropped", c.logDropped, LongAdder::sum)
              .description("guest log lines dropped over the per-actor log limit")
              .tag("type", type)
              .register(registry));
      for (FailureReason r : FailureReason.values()) {
        meters.add(
            FunctionCounter.builder("mayfly.turns.failed", c.failed(r), LongAdder::sum)
                .description("turns rolled back, and asks answered without a reply, by reason")
                .tag("type", type)
                .tag("reason", r.code())
                .register(registry));
      }
      typeMeters.put(type, meters);
    }
    return c;
  }

  /** Forgets an undeployed type's counters and meters. */
  void removeCounters(String type) {
    byType.remove(type);
    List<Meter> meters = typeMeters.remove(type);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  /** Counts a failure of {@code type}'s actors. */
  void failed(TypeCounters type, FailureReason reason) {
    failed[reason.ordinal()].increment();
    type.failed(reason).increment();
  }

  boolean timing() {
    return turnLatency != null;
  }

  void recordLatency(long nanos) {
    turnLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Rolled-back turns: every reason except a missing reply (the turn committed). */
  long failedTurns() {
    long sum = 0;
    for (FailureReason r : FailureReason.values()) {
      if (r != FailureReason.NO_REPLY) {
        sum += failed[r.ordinal()].sum();
      }
    }
    return sum;
  }

  /** The turns and failures by reason code of {@code type}; zeros if it never ran a turn. */
  TypeStats typeStats(String type, long active, long stored, long bytes) {
    TypeCounters c = byType.get(type);
    var failures = new LinkedHashMap<String, Long>();
    for (FailureReason r : FailureReason.values()) {
      failures.put(r.code(), c == null ? 0 : c.failed(r).sum());
    }
    return new TypeStats(type, c == null ? 0 : c.turns.sum(), failures, active, stored, bytes);
  }

  NodeStats stats(Figures f) {
    return new NodeStats(
        turns.sum(),
        failedTurns(),
        failed[FailureReason.TURN_TIMEOUT.ordinal()].sum(),
        f.activeActors(),
        f.storedActors(),
        f.stateBytes(),
        expirations.sum(),
        evictions.sum(),
        rejected.sum(),
        deadLetters.sum(),
        f.pendingAsks(),
        f.pendingTimers(),
        queuedBytes.sum(),
        overloaded.sum());
  }
}
