package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import java.util.List;
import java.util.Map;

/**
 * Everything one turn saw and did, enough to run it again: the message, the type version and
 * configuration it ran under, its time, its whole state before and after (entries with their TTLs,
 * timers, subscriptions), every answer the host gave it, and its effects. When the turn failed,
 * {@code after} equals {@code before} and {@code effects} lists what was discarded.
 *
 * @param address the actor
 * @param message what it handled
 * @param type the deployed type it ran as: version, module hash and configuration
 * @param nowNanos the turn's time on the node clock (nanoseconds since the epoch)
 * @param before the actor's state before the turn, or {@code null} if it had none
 * @param after the state it committed, or {@code null} if it has none
 * @param answers what the host answered besides state and time
 * @param effects what the turn did, in order
 * @param failure {@code null} on success, otherwise the failure kind and reason
 */
public record TurnRecord(
    Address address,
    Message message,
    TypeInfo type,
    long nowNanos,
    ActorState before,
    ActorState after,
    HostAnswers answers,
    List<Effect> effects,
    Failure failure) {

  /** Whether the turn committed. */
  public boolean committed() {
    return failure == null;
  }

  /** The clock reading the guest saw ({@code now_ms}): the turn's time in epoch milliseconds. */
  public long nowMillis() {
    return Math.floorDiv(nowNanos, 1_000_000);
  }

  /** The values of the state entries live before the turn. */
  public Map<String, byte[]> stateBefore() {
    return before == null ? Map.of() : before.values(nowNanos);
  }

  /** The values of the state entries live after the turn. */
  public Map<String, byte[]> stateAfter() {
    return after == null ? Map.of() : after.values(nowNanos);
  }

  /**
   * What the host answered a turn besides its state and its time.
   *
   * @param ids the ids it was given ({@code timer_set}, {@code ask}), in order
   * @param sharedData the shared data it read, by key ({@code null} values: absent)
   * @param randomSeed the seed of its random numbers, if it drew any (else 0)
   */
  public record HostAnswers(List<Long> ids, Map<String, byte[]> sharedData, long randomSeed) {
    /** A turn that asked for nothing. */
    public static final HostAnswers NONE = new HostAnswers(List.of(), Map.of(), 0);
  }

  /**
   * Why a turn failed.
   *
   * @param reason the failure kind
   * @param message what happened
   */
  public record Failure(FailureReason reason, String message) {}
}
