package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * The actor's turn for an ask failed and was rolled back: the guest trapped, ran past its deadline,
 * ran out of memory, or returned a non-zero code. {@link #reason()} names which.
 */
public class TurnFailedException extends MayflyException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public TurnFailedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * The failure kind: {@code guest_trap}, {@code turn_timeout}, {@code guest_out_of_memory}, {@code
   * guest_error}, {@code no_reply}.
   */
  public String reason() {
    return reason;
  }

  @Override
  public String code() {
    return "turn_failed";
  }
}
