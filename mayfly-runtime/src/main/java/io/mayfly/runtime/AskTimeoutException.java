package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** An ask got no reply within its timeout. */
public class AskTimeoutException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public AskTimeoutException(String message) {
    super(message);
  }

  public AskTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "ask_timeout";
  }
}
