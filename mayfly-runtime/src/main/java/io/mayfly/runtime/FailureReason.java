package io.mayfly.runtime;

/**
 * Why a turn failed and was rolled back, or why an ask got no reply from a turn. The codes are what
 * the HTTP API, the metrics ({@code reason} label) and the logs show.
 */
public enum FailureReason {
  /** The guest trapped (unreachable, out-of-bounds access, stack overflow...). */
  GUEST_TRAP("guest_trap"),
  /** The turn ran past its deadline. */
  TURN_TIMEOUT("turn_timeout"),
  /** The guest tried to grow its memory past its cap. */
  GUEST_OUT_OF_MEMORY("guest_out_of_memory"),
  /** The handler returned a non-zero code, or the guest ended the turn as failed. */
  GUEST_ERROR("guest_error"),
  /** The turn committed without answering the ask it handled. */
  NO_REPLY("no_reply"),
  /** The turn's state could not be saved by the state store; nothing of it left the node. */
  STATE_NOT_SAVED("state_not_saved");

  private final String code;

  FailureReason(String code) {
    this.code = code;
  }

  /** The code: the enum name in lower case. */
  public String code() {
    return code;
  }

  /** The reason with this code, or {@code null}. */
  public static FailureReason ofCode(String code) {
    for (FailureReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    return null;
  }
}
