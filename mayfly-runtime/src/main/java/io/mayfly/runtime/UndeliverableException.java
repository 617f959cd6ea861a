package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * A message or an answer could not reach its destination: the node that owns the actor, or holds
 * the request, cannot be reached, or the node closed before the answer came.
 */
public class UndeliverableException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public UndeliverableException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "undeliverable";
  }
}
