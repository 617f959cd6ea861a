package io.mayfly.testkit;

import io.mayfly.wasm.MayflyException;

/**
 * The test kit was asked for something the actor under test did not do: answer an ask it never made
 * or that already ended, or find the turn of a message that did not run.
 */
public final class TestKitException extends MayflyException {
  private static final long serialVersionUID = 1L;

  TestKitException(String message) {
    super(message);
  }

  TestKitException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "testkit";
  }
}
