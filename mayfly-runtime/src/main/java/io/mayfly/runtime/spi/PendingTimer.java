package io.mayfly.runtime.spi;

/**
 * A timer an actor set for itself, kept in its state so that whichever node holds the state can
 * re-arm it.
 *
 * @param id the timer id the guest was given (unique within the actor)
 * @param dueNanos when it fires, on the node clock (nanoseconds since the epoch, comparable across
 *     nodes)
 * @param payload the message it delivers (never modified)
 */
public record PendingTimer(long id, long dueNanos, byte[] payload) {}
