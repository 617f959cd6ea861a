package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceContextTest {
  @Test
  void aTraceparentHeaderIsReadAndWrittenBack() {
    String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    TraceContext c = TraceContext.parse(header, "rojo=00f067aa0ba902b7");
    assertThat(c.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(c.sampled()).isTrue();
    assertThat(c.traceState()).isEqualTo("rojo=00f067aa0ba902b7");
    assertThat(c.traceparent()).isEqualTo(header);
  }

  @Test
  void aMalformedOrAbsentTraceparentStartsNoContext() {
    assertThat(TraceContext.parse(null, null)).isNull();
    assertThat(TraceContext.parse("garbage", null)).isNull();
    assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null))
        .as("all-zero trace id")
        .isNull();
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null))
        .as("all-zero span id")
        .isNull();
    assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", null))
        .as("upper case")
        .isNull();
    assertThat(TraceContext.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null))
        .as("version ff")
        .isNull();
    assertThat(
            TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", null))
        .as("version 00 with more fields")
        .isNull();
  }

  @Test
  void aLaterVersionIsReadAsVersionZero() {
    TraceContext c =
        TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future", null);
    assertThat(c.sampled()).isFalse();
    assertThat(c.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  }

  @Test
  void aNewSpanKeepsTheTraceAndItsFlags() {
    TraceContext root = TraceContext.newTrace();
    TraceContext child = root.newSpan();
    assertThat(child.traceId()).isEqualTo(root.traceId());
    assertThat(child.spanId()).isNotEqualTo(root.spanId()).hasSize(16);
    assertThat(root.traceId()).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(TraceContext.parse(child.traceparent(), null)).isEqualTo(child);
  }

  @Test
  void aMalformedIdIsRefusedNamingIt() {
    assertThatThrownBy(() -> new TraceContext("xyz", "00f067aa0ba902b7", true, null))
        .isInstanceOf(InvalidTraceContextException.class)
        .hasMessageContaining("xyz");
  }
}
