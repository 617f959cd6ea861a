package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * An idempotency key (a message id) is malformed: keys are 1 to 128 printable ASCII characters
 * without spaces, such as a UUID. The message says what is wrong with it.
 */
public class InvalidIdempotencyKeyException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InvalidIdempotencyKeyException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "invalid_idempotency_key";
  }
}
