package io.mayfly.wasm;

/**
 * The guest trapped (unreachable, out-of-bounds access, division by zero, stack exhaustion...)
 * during a turn or its instantiation.
 */
public class GuestTrapException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public GuestTrapException(String message) {
    super(message);
  }

  public GuestTrapException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "guest_trap";
  }
}
