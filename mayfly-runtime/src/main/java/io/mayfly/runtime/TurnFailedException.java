package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * The actor's turn for an ask failed and was rolled back: the guest trapped, ran past its deadline,
 * ran out of memory, or returned a non-zero code; or it committed without replying. {@link
 * #reason()} names which.
 */
public class TurnFailedException extends MayflyException {
  private static final long serialVersionUID = 1L;
  private final FailureReason reason;

  public TurnFailedException(FailureReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The failure kind. */
  public FailureReason reason() {
    return reason;
  }

  @Override
  public String code() {
    return "turn_failed";
  }
}
