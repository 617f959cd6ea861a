package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** A configuration value is out of range; the message names it. */
public class InvalidConfigException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_config";
  }
}
