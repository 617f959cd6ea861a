package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** A message was addressed to a type that is not deployed. */
public class UnknownActorTypeException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public UnknownActorTypeException(String message) {
    super(message);
  }

  public UnknownActorTypeException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "unknown_type";
  }
}
