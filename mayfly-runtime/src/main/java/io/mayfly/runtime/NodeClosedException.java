package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** The node is shutting down or closed and accepts no new messages. */
public class NodeClosedException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public NodeClosedException(String message) {
    super(message);
  }

  public NodeClosedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "node_closed";
  }
}
