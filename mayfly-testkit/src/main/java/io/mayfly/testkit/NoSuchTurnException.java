package io.mayfly.testkit;

import io.mayfly.wasm.MayflyException;

/**
 * A replay asked for a recorded turn that is not there: the actor has no kept turn, or the turn
 * number is outside the kept ones.
 */
public final class NoSuchTurnException extends MayflyException {
  private static final long serialVersionUID = 1L;

  NoSuchTurnException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "no_such_turn";
  }
}
