package io.mayfly.wasm;

/**
 * The root of every error Mayfly raises. Unchecked; each subclass names one kind of failure and
 * carries a stable {@link #code()} that ingress adapters map to protocol errors (HTTP status, reply
 * status) in one place.
 */
public abstract class MayflyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected MayflyException(String message) {
    super(message);
  }

  protected MayflyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A short, stable, machine-readable name of the failure kind, such as {@code guest_trap}. */
  public abstract String code();
}
