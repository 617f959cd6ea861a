package io.mayfly.wasm;

/** A turn, or an instance's start function, ran past its deadline and was stopped. */
public class TurnTimeoutException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public TurnTimeoutException(String message) {
    super(message);
  }

  public TurnTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "turn_timeout";
  }
}
