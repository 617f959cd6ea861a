package io.mayfly.wasm;

/**
 * A well-formed module that does not follow the actor ABI: a missing or mistyped export, an unknown
 * import, or an unsupported ABI version.
 */
public class AbiViolationException extends InvalidModuleException {
  private static final long serialVersionUID = 1L;

  public AbiViolationException(String message) {
    super(message);
  }

  public AbiViolationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "abi_violation";
  }
}
