package io.mayfly.cli;

import io.mayfly.wasm.MayflyException;

/**
 * A client verb could not do what it was asked: the node answered with an error, could not be
 * reached, or an ask timed out. Carries the verb's exit code (see {@link ExitCodes}).
 */
final class ClientException extends MayflyException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int exitCode;

  ClientException(String code, String message, int exitCode) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }

  ClientException(String code, String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.exitCode = exitCode;
  }

  @Override
  public String code() {
    return code;
  }

  int exitCode() {
    return exitCode;
  }
}
