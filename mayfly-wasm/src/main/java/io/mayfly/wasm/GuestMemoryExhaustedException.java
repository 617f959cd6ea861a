package io.mayfly.wasm;

/**
 * The guest ran out of memory: its allocator failed, or it trapped after its memory reached the
 * cap.
 */
public class GuestMemoryExhaustedException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public GuestMemoryExhaustedException(String message) {
    super(message);
  }

  public GuestMemoryExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "guest_out_of_memory";
  }
}
