package io.mayfly.runtime.internal;

import io.mayfly.runtime.ActorState;
import io.mayfly.runtime.Message;

/**
 * A message in a mailbox, with what only this node needs: the dropped state an expiry turn reads,
 * and when it was enqueued (for latency metrics).
 */
record Envelope(Message message, ActorState expiring, long enqueuedNanos) {}
