package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** An actor address, type name or topic is malformed. */
public class InvalidAddressException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InvalidAddressException(String message) {
    super(message);
  }

  public InvalidAddressException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_address";
  }
}
