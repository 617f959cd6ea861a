package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** The actor's mailbox is at capacity: the message was not accepted. Retry later or slow down. */
public class MailboxFullException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public MailboxFullException(String message) {
    super(message);
  }

  public MailboxFullException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "mailbox_full";
  }
}
