package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** A message is larger than its actor type's maxMessageBytes. */
public class MessageTooLargeException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public MessageTooLargeException(String message) {
    super(message);
  }

  public MessageTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "message_too_large";
  }
}
