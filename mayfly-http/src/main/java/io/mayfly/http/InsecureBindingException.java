package io.mayfly.http;

import io.mayfly.wasm.MayflyException;

/**
 * The HTTP server was asked to listen on a non-loopback address without any bearer token: anyone
 * who can reach the address could deploy code. Configure an admin token (and client tokens), or set
 * {@link MayflyHttpServer.Builder#insecure(boolean)} explicitly.
 */
public class InsecureBindingException extends MayflyException {
  private static final long serialVersionUID = 1L;

  public InsecureBindingException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "insecure_binding";
  }
}
