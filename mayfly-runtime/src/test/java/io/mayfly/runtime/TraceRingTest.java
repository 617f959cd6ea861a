package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceRingTest {
  private static Span span(String traceId, String spanId, String parent, String name, long start) {
    return new Span(
        traceId,
        spanId,
        parent,
        name,
        null,
        Span.Kind.INTERNAL,
        start,
        10,
        false,
        null,
        Map.of("mayfly.actor", "probe/" + spanId));
  }

  private static String trace(int i) {
    return "%032x".formatted(i + 1);
  }

  @Test
  void theOldestTracesLeaveWholeWhenTheBytesRunOut() {
    long one = TraceRing.estimate(span(trace(0), "0000000000000001", null, "tell probe", 0));
    var ring = new TraceRing(1000, one * 10);
    for (int t = 0; t < 6; t++) {
      ring.add(span(trace(t), "0000000000000001", null, "tell probe", t));
      ring.add(span(trace(t), "0000000000000002", "0000000000000001", "tell probe", t));
    }
    assertThat(ring.bytes()).isLessThanOrEqualTo(one * 10).isEqualTo(one * 10);
    assertThat(ring.size()).isEqualTo(5);
    assertThat(ring.trace(trace(0))).isEmpty();
    assertThat(ring.trace(trace(1)).orElseThrow()).hasSize(2);
    assertThat(ring.recent(10).getFirst().traceId()).isEqualTo(trace(5));
  }

  @Test
  void aSpanLargerThanTheWholeBoundIsCountedAndNotKept() {
    var ring = new TraceRing(10, 1000);
    ring.add(span(trace(0), "0000000000000001", null, "x".repeat(1000), 0));
    assertThat(ring.size()).isZero();
    assertThat(ring.bytes()).isZero();
    assertThat(ring.droppedSpans()).isEqualTo(1);
  }

  @Test
  void theRootIsTheEarliestSpanWhoseParentIsNotKept() {
    var ring = new TraceRing(10, 1 << 20);
    ring.add(span(trace(0), "0000000000000002", "0000000000000001", "tell b", 20));
    ring.add(span(trace(0), "0000000000000001", "00000000000000ff", "POST /ask", 10));
    TraceSummary s = ring.recent(1).getFirst();
    assertThat(s.root()).isEqualTo("POST /ask");
    assertThat(s.startEpochNanos()).isEqualTo(10);
    assertThat(s.durationNanos()).isEqualTo(20);
    assertThat(s.spans()).isEqualTo(2);
  }
}
