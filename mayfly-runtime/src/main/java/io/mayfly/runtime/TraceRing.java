package io.mayfly.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recent traces a node keeps without a collector: a ring bounded in traces and in bytes (as
 * estimated from each span's strings). A trace enters with its first span; when either bound is
 * passed the oldest traces leave whole. A span larger than the whole byte bound is not kept, and
 * counted.
 */
final class TraceRing {
  /** Bytes a span takes beyond its strings: the record, its map, ids as strings. */
  static final int SPAN_OVERHEAD = 320;

  private static final class Kept {
    final List<Span> spans = new ArrayList<>(4);
    long bytes;
  }

  private final int maxTraces;
  private final long maxBytes;
  private final LinkedHashMap<String, Kept> traces = new LinkedHashMap<>();
  private long bytes;
  private long droppedSpans;

  TraceRing(int maxTraces, long maxBytes) {
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
  }

  /** What a span is charged: its strings at two bytes a character, plus the overhead. */
  static long estimate(Span s) {
    long chars = s.name().length() + (s.statusMessage() == null ? 0 : s.statusMessage().length());
    for (Map.Entry<String, String> a : s.attributes().entrySet()) {
      chars += a.getKey().length() + a.getValue().length() + 16;
    }
    return SPAN_OVERHEAD + 2 * chars;
  }

  synchronized void add(Span span) {
    long size = estimate(span);
    if (size > maxBytes) {
      droppedSpans++;
      return;
    }
    Kept kept = traces.computeIfAbsent(span.traceId(), id -> new Kept());
    kept.spans.add(span);
    kept.bytes += size;
    bytes += size;
    while (traces.size() > maxTraces || bytes > maxBytes) {
      Map.Entry<String, Kept> eldest = traces.pollFirstEntry();
      bytes -= eldest.getValue().bytes;
    }
  }

  synchronized List<TraceSummary> recent(int limit) {
    var out = new ArrayList<TraceSummary>(Math.min(limit, traces.size()));
    for (Map.Entry<String, Kept> e : traces.sequencedEntrySet().reversed()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(summary(e.getKey(), e.getValue().spans));
    }
    return out;
  }

  synchronized Optional<List<Span>> trace(String traceId) {
    Kept kept = traces.get(traceId);
    return kept == null ? Optional.empty() : Optional.of(List.copyOf(kept.spans));
  }

  synchronized int size() {
    return traces.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long droppedSpans() {
    return droppedSpans;
  }

  private static TraceSummary summary(String traceId, List<Span> spans) {
    Set<String> ids = new HashSet<>();
    for (Span s : spans) {
      ids.add(s.spanId());
    }
    Span root = null;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    boolean error = false;
    for (Span s : spans) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.startEpochNanos() + s.durationNanos());
      error |= s.error();
      boolean isRoot = s.parentSpanId() == null || !ids.contains(s.parentSpanId());
      if (isRoot && (root == null || s.startEpochNanos() < root.startEpochNanos())) {
        root = s;
      }
    }
    String rootName = root == null ? spans.getFirst().name() : root.name();
    return new TraceSummary(traceId, rootName, start, end - start, spans.size(), error);
  }
}
