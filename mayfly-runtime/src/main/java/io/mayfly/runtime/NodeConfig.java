package io.mayfly.runtime;

import io.mayfly.runtime.spi.Placement;
import io.mayfly.runtime.spi.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * A node's settings, fixed when {@link Mayfly.Builder#build()} took them; defaults and their
 * reasons are in docs/configuration.md.
 *
 * @param workers CPU workers that run turns
 * @param batchSize messages an actor handles per activation before yielding its worker
 * @param stateBudgetBytes node-wide budget for short-term state
 * @param queueBudgetBytes node-wide budget for bytes of messages waiting in mailboxes
 * @param clock the clock for TTLs, timers and ask timeouts
 * @param stateStore where state lives, or {@code null} for the in-memory store
 * @param placement which node runs which actor
 * @param meterRegistry where metrics are registered, or {@code null}
 * @param turnListener who observes every turn, or {@code null}
 * @param synchronous whether turns run on the calling thread (tests)
 * @param watchdogResolution how often turn deadlines are checked
 * @param housekeepingInterval how often timers and TTL expiry are processed on a system clock
 * @param workerSpin how long the last worker awake looks for work before it sleeps
 * @param drainTimeout how long closing waits for queued messages
 * @param compileTimeout how long compiling one module may take
 * @param maxModuleBytes largest module accepted
 * @param maxFunctions most functions a module may declare
 * @param nodeId this node's id: part of request ids and reply handles
 * @param recordTurns most turns the recorder keeps per type while recording is on
 * @param recordBytes most bytes of recorded turns the recorder keeps per type (estimated)
 * @param recordFailedTurns most failed turns kept per type while recording is off
 * @param idempotencyWindow how long an actor remembers the id of a message it handled
 * @param idempotencyKeysPerActor most message ids an actor remembers at once
 * @param idempotencyBytesPerActor most bytes of remembered ids and replies per actor
 */
public record NodeConfig(
    int workers,
    int batchSize,
    long stateBudgetBytes,
    long queueBudgetBytes,
    MayflyClock clock,
    StateStore stateStore,
    Placement placement,
    MeterRegistry meterRegistry,
    TurnListener turnListener,
    boolean synchronous,
    Duration watchdogResolution,
    Duration housekeepingInterval,
    Duration workerSpin,
    Duration drainTimeout,
    Duration compileTimeout,
    int maxModuleBytes,
    int maxFunctions,
    String nodeId,
    int recordTurns,
    long recordBytes,
    int recordFailedTurns,
    Duration idempotencyWindow,
    int idempotencyKeysPerActor,
    long idempotencyBytesPerActor) {}
