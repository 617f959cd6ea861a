package io.mayfly.runtime.internal;

import io.mayfly.runtime.NodeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's counters. Counting is a {@link LongAdder} increment on the hot path; meters read the
 * adders when scraped. The turn latency timer exists only when a registry is given.
 */
final class NodeMetrics {
  final LongAdder turns = new LongAdder();
  final LongAdder failedTraps = new LongAdder();
  final LongAdder failedTimeouts = new LongAdder();
  final LongAdder failedMemory = new LongAdder();
  final LongAdder failedErrors = new LongAdder();
  final LongAdder expirations = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder deadLetters = new LongAdder();
  final LongAdder queued = new LongAdder();
  final LongAdder activations = new LongAdder();
  private final Timer turnLatency;

  NodeMetrics(MeterRegistry registry, Node node) {
    if (registry == null) {
      turnLatency = null;
      return;
    }
    counter(registry, "mayfly.turns", "turns run", turns, null);
    counter(registry, "mayfly.turns.failed", "turns rolled back", failedTraps, "guest_trap");
    counter(registry, "mayfly.turns.failed", "turns rolled back", failedTimeouts, "turn_timeout");
    counter(
        registry, "mayfly.turns.failed", "turns rolled back", failedMemory, "guest_out_of_memory");
    counter(registry, "mayfly.turns.failed", "turns rolled back", failedErrors, "guest_error");
    counter(registry, "mayfly.state.expirations", "actors dropped at TTL", expirations, null);
    counter(registry, "mayfly.state.evictions", "actors dropped over budget", evictions, null);
    counter(registry, "mayfly.messages.rejected", "messages refused at ingress", rejected, null);
    counter(
        registry,
        "mayfly.messages.dead",
        "undeliverable messages between actors",
        deadLetters,
        null);
    counter(registry, "mayfly.activations", "mailboxes created", activations, null);
    Gauge.builder("mayfly.mailbox.depth", queued, LongAdder::sum)
        .description("messages waiting in mailboxes")
        .register(registry);
    Gauge.builder("mayfly.actors.active", node, Node::activeActors)
        .description("actors with a mailbox")
        .register(registry);
    Gauge.builder("mayfly.actors.stored", node, n -> n.store().actorCount())
        .description("actors with short-term state")
        .register(registry);
    Gauge.builder("mayfly.asks.pending", node, Node::pendingAsks)
        .description("asks waiting for their reply")
        .register(registry);
    Gauge.builder("mayfly.timers.pending", node, Node::pendingTimers)
        .description("actor timers and ask timeouts scheduled")
        .register(registry);
    Gauge.builder("mayfly.state.bytes", node, n -> n.store().weightedBytes())
        .description("bytes of short-term state charged against the budget")
        .baseUnit("bytes")
        .register(registry);
    turnLatency =
        Timer.builder("mayfly.turn.duration")
            .description("time from enqueue to the end of the turn")
            .publishPercentileHistogram()
            .register(registry);
  }

  private static void counter(
      MeterRegistry registry, String name, String description, LongAdder adder, String reason) {
    var b = FunctionCounter.builder(name, adder, LongAdder::sum).description(description);
    if (reason != null) {
      b.tag("reason", reason);
    }
    b.register(registry);
  }

  boolean timing() {
    return turnLatency != null;
  }

  void recordLatency(long nanos) {
    turnLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  long failed() {
    return failedTraps.sum() + failedTimeouts.sum() + failedMemory.sum() + failedErrors.sum();
  }

  NodeStats stats(Node node) {
    return new NodeStats(
        turns.sum(),
        failed(),
        failedTimeouts.sum(),
        node.activeActors(),
        node.store().actorCount(),
        node.store().weightedBytes(),
        expirations.sum(),
        evictions.sum(),
        rejected.sum(),
        deadLetters.sum(),
        node.pendingAsks(),
        node.pendingTimers());
  }
}
