package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/** A trace or span id is malformed. */
public class InvalidTraceContextException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InvalidTraceContextException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "invalid_trace_context";
  }
}
