package io.mayfly.http;

import io.mayfly.wasm.MayflyException;

/**
 * A request the HTTP layer itself refuses (authentication, size, unknown route, missing state).
 * {@link ErrorMapping} turns its {@link #code()} into a status like every other {@link
 * MayflyException}.
 */
final class RequestRejectedException extends MayflyException {
  private static final long serialVersionUID = 1L;

  static final String UNAUTHORIZED = "unauthorized";
  static final String FORBIDDEN = "forbidden";
  static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  static final String NOT_FOUND = "not_found";
  static final String NO_STATE = "no_state";
  static final String BAD_REQUEST = "bad_request";
  static final String METRICS_DISABLED = "metrics_disabled";
  static final String NOT_CLUSTERED = "not_clustered";

  private final String code;

  RequestRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }
}
