package io.mayfly.runtime;

/**
 * One trace kept by the node, as listed by {@link Tracing#recent(int)}.
 *
 * @param traceId the trace
 * @param root the name of its root span: the earliest span whose parent is not in the trace
 * @param startEpochNanos when its first span started, on the node clock
 * @param durationNanos from the start of its first span to the end of its last
 * @param spans how many spans of it are kept
 * @param error whether any of its spans failed
 */
public record TraceSummary(
    String traceId,
    String root,
    long startEpochNanos,
    long durationNanos,
    int spans,
    boolean error) {}
