package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * A message came with an idempotency key that the actor already saw, within the idempotency window,
 * on a different message (another payload, or a tell where an ask was, or the reverse). It was not
 * delivered: use a new key for a new message.
 */
public class IdempotencyKeyReusedException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public IdempotencyKeyReusedException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "idempotency_key_reused";
  }
}
