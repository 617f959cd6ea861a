package io.mayfly.wasm;

/**
 * A module was refused at deploy: not Wasm, malformed, too large, or impossible to compile within
 * the limits.
 */
public class InvalidModuleException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InvalidModuleException(String message) {
    super(message);
  }

  public InvalidModuleException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_module";
  }
}
