package io.mayfly.runtime;

/** How an ask ended, as the asking actor sees it; the codes are the ABI's {@code reply_status}. */
public enum ReplyStatus {
  OK,
  TIMEOUT,
  FAILED,
  UNDELIVERABLE;

  /** The ABI code. */
  public int code() {
    return ordinal();
  }
}
