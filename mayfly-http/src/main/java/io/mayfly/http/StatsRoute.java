package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.TypeStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/stats}: the node's counters, each type's turns, failures and actors, and the turn
 * latency histogram, as one compact JSON document that a page can poll (the console draws its
 * charts from the differences between two polls). Every figure is cumulative or a gauge; the server
 * keeps no history.
 */
final class StatsRoute {
  /** The node's turn latency timer (see NodeMetrics). */
  private static final String TURN_DURATION = "mayfly.turn.duration";

  private final Mayfly node;
  private final MeterRegistry metrics;

  /** Latency comes from the node's own registry; a node built without one has none. */
  StatsRoute(Mayfly node) {
    this.node = node;
    this.metrics = node.config().meterRegistry();
  }

  void handle(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    NodeStats s = node.stats();
    body.putObject("node")
        .put("turns", s.turns())
        .put("failedTurns", s.failedTurns())
        .put("activeActors", s.activeActors())
        .put("storedActors", s.storedActors())
        .put("stateBytes", s.stateBytes())
        .put("pendingAsks", s.pendingAsks())
        .put("pendingTimers", s.pendingTimers())
        .put("queuedBytes", s.queuedBytes())
        .put("rejected", s.rejected())
        .put("overloaded", s.overloaded());
    Map<String, Integer> versions = new HashMap<>();
    node.types().forEach(t -> versions.put(t.type(), t.version()));
    // A type deployed between the two reads has no version here yet: 0 until the next poll.
    ArrayNode types = body.putArray("types");
    for (TypeStats t : node.typeStats()) {
      ObjectNode n = types.addObject();
      n.put("type", t.type()).put("version", versions.getOrDefault(t.type(), 0));
      n.put("turns", t.turns());
      ObjectNode failed = n.putObject("failed");
      t.failed().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> failed.put(e.getKey(), e.getValue()));
      n.put("activeActors", t.activeActors())
          .put("storedActors", t.storedActors())
          .put("stateBytes", t.stateBytes());
    }
    Timer latency = metrics == null ? null : metrics.find(TURN_DURATION).timer();
    if (latency == null) {
      body.putNull("latency");
    } else {
      body.set("latency", latency(latency.takeSnapshot()));
    }
    Json.send(res, body);
  }

  /**
   * Count, sum and the cumulative histogram: {@code buckets} is a list of [upper bound in seconds,
   * turns that took at most that long since start].
   */
  private static ObjectNode latency(HistogramSnapshot h) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("count", h.count()).put("sumSeconds", h.total(TimeUnit.NANOSECONDS) / 1e9);
    n.put("maxSeconds", h.max(TimeUnit.NANOSECONDS) / 1e9);
    ArrayNode buckets = n.putArray("buckets");
    for (CountAtBucket b : h.histogramCounts()) {
      buckets.addArray().add(b.bucket(TimeUnit.NANOSECONDS) / 1e9).add((long) b.count());
    }
    return n;
  }
}
