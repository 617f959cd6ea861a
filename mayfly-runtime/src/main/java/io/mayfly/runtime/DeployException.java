package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;

/**
 * A deploy could not finish: compiling the module took longer than allowed or the node is closed.
 */
public class DeployException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "deploy_failed";
  }
}
