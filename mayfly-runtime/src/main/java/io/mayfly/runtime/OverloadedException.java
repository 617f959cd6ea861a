package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * The node's queue budget is spent (or the target type has taken its share of it under pressure):
 * the message was refused and nothing of it remains. Retry later; HTTP answers 429.
 */
public class OverloadedException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "overloaded";
  }
}
