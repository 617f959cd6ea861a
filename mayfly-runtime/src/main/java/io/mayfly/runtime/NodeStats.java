package io.mayfly.runtime;

/**
 * Counters of a node since it started (the same figures are exported as metrics).
 *
 * @param turns turns run, committed or not
 * @param failedTurns turns rolled back (trap, timeout, memory, non-zero result, state not saved);
 *     not asks answered {@code no_reply}, whose turns committed
 * @param timeouts turns stopped at their deadline
 * @param activeActors actors with a mailbox right now (messages queued or running)
 * @param storedActors actors with short-term state
 * @param stateBytes bytes of state charged against the budget
 * @param expirations actors dropped because their TTL passed
 * @param evictions actors dropped to stay within the byte budget
 * @param rejected messages refused at ingress (full mailbox, too large, unknown type, malformed or
 *     reused idempotency key, node shutting down, queue budget spent)
 * @param deadLetters messages between actors that could not be delivered
 * @param pendingAsks asks (from outside or between actors) waiting for their reply right now
 * @param pendingTimers actor timers and ask timeouts scheduled right now
 * @param queuedBytes bytes of messages waiting in mailboxes right now (payloads and envelopes)
 * @param overloaded messages refused because the node's queue budget was spent
 */
public record NodeStats(
    long turns,
    long failedTurns,
    long timeouts,
    long activeActors,
    long storedActors,
    long stateBytes,
    long expirations,
    long evictions,
    long rejected,
    long deadLetters,
    long pendingAsks,
    long pendingTimers,
    long queuedBytes,
    long overloaded) {}
