package io.mayfly.runtime;

import java.util.List;
import java.util.Map;

/**
 * Everything one turn saw and did: the message, the state before and after, and its effects. When
 * the turn failed, {@code stateAfter} equals {@code stateBefore} and {@code effects} lists what was
 * discarded.
 *
 * @param address the actor
 * @param message what it handled
 * @param nowMillis the clock reading the guest saw
 * @param stateBefore its state entries before the turn
 * @param stateAfter its state entries after the turn
 * @param effects what the turn did, in order
 * @param failure {@code null} on success, otherwise the failure kind and reason
 */
public record TurnRecord(
    Address address,
    Message message,
    long nowMillis,
    Map<String, byte[]> stateBefore,
    Map<String, byte[]> stateAfter,
    List<Effect> effects,
    Failure failure) {

  /** Whether the turn committed. */
  public boolean committed() {
    return failure == null;
  }

  /**
   * Why a turn failed.
   *
   * @param reason {@code guest_trap}, {@code turn_timeout}, {@code guest_out_of_memory} or {@code
   *     guest_error}
   * @param message what happened
   */
  public record Failure(String reason, String message) {}
}
