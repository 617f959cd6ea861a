package io.mayfly.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C trace context a message carries ({@code traceparent} and {@code tracestate}): the trace
 * it belongs to and the span of the turn or request that sent it. A turn that handles the message
 * is a span of the same trace, child of {@link #spanId()}; everything the turn sends carries the
 * turn's own span. Messages carry none while tracing is off.
 *
 * @param traceId the trace: 32 lowercase hex digits, not all zero
 * @param spanId the sending span: 16 lowercase hex digits, not all zero
 * @param sampled the {@code traceparent}'s sampled flag: whether the trace's spans are recorded
 * @param traceState the {@code tracestate} header as received, or {@code null}
 */
public record TraceContext(String traceId, String spanId, boolean sampled, String traceState) {
  /** Longest {@code tracestate} kept; a longer one is dropped, as W3C allows. */
  static final int MAX_TRACE_STATE = 512;

  public TraceContext {
    if (!isHex(traceId, 32)) {
      throw new InvalidTraceContextException(
          "a trace id is 32 lowercase hex digits, not all zero, was " + traceId);
    }
    if (!isHex(spanId, 16)) {
      throw new InvalidTraceContextException(
          "a span id is 16 lowercase hex digits, not all zero, was " + spanId);
    }
    if (traceState != null && (traceState.isBlank() || traceState.length() > MAX_TRACE_STATE)) {
      traceState = null;
    }
  }

  /**
   * The context of a {@code traceparent} header (version {@code 00}, or a later version read as
   * {@code 00}) and its {@code tracestate}; {@code null} when {@code traceparent} is absent or
   * malformed, in which case W3C asks the receiver to start a new trace.
   */
  public static TraceContext parse(String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    String h = traceparent.strip();
    if (h.length() < 55
        || h.charAt(2) != '-'
        || h.charAt(35) != '-'
        || h.charAt(52) != '-'
        || (h.length() > 55 && (h.startsWith("00") || h.charAt(55) != '-'))) {
      return null;
    }
    String version = h.substring(0, 2);
    String flags = h.substring(53, 55);
    if (!isHexDigits(version) || version.equals("ff") || !isHexDigits(flags)) {
      return null;
    }
    String traceId = h.substring(3, 35);
    String spanId = h.substring(36, 52);
    if (!isHex(traceId, 32) || !isHex(spanId, 16)) {
      return null;
    }
    boolean sampled = (Integer.parseInt(flags, 16) & 1) == 1;
    return new TraceContext(traceId, spanId, sampled, tracestate);
  }

  /** A new trace, sampled, whose first span is the returned context's. */
  public static TraceContext newTrace() {
    return new TraceContext(randomHex(2), randomHex(1), true, null);
  }

  /** A new span of this trace, as the context of what that span sends. */
  public TraceContext newSpan() {
    return new TraceContext(traceId, randomHex(1), sampled, traceState);
  }

  /** The {@code traceparent} header of this context. */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static String randomHex(int longs) {
    var random = ThreadLocalRandom.current();
    var hex = new StringBuilder(16 * longs);
    for (int i = 0; i < longs; i++) {
      long v;
      do {
        v = random.nextLong();
      } while (v == 0 && longs == 1);
      String s = Long.toHexString(v);
      hex.repeat('0', 16 - s.length()).append(s);
    }
    return hex.toString();
  }

  private static boolean isHex(String s, int length) {
    if (s == null || s.length() != length || !isHexDigits(s)) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }

  private static boolean isHexDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
