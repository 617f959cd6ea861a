package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Answers for the requests the web server refuses before they reach a route (a malformed request
 * line, headers or URI too large, a bad {@code Content-Length}): the same JSON error body as every
 * other error, instead of the web server's own page. Each is logged on one line and counted in
 * {@code mayfly.http.rejected{reason}}.
 */
final class DirectErrors implements DirectHandler {
  private static final System.Logger LOG = System.getLogger(DirectErrors.class.getName());

  private final HttpMetrics metrics;

  private DirectErrors(HttpMetrics metrics) {
    this.metrics = metrics;
  }

  /** A handler for every kind of event the web server answers by itself. */
  static DirectHandlers handlers(HttpMetrics metrics) {
    var handler = new DirectErrors(metrics);
    var b = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      b.addHandler(type, handler);
    }
    return b.build();
  }

  /** The error code of a status the web server answers by itself. */
  static String code(Status status) {
    return switch (status.code()) {
      case 403 -> RequestRejectedException.FORBIDDEN;
      case 413 -> RequestRejectedException.PAYLOAD_TOO_LARGE;
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 503 -> "overloaded";
      case 505 -> "http_version_not_supported";
      default -> status.code() >= 500 ? "internal" : RequestRejectedException.BAD_REQUEST;
    };
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    return answer(status == null ? eventType.defaultStatus() : status, headers, message);
  }

  private TransportResponse answer(Status status, ServerResponseHeaders headers, String message) {
    String code = code(status);
    String text =
        message == null || message.isBlank() || message.startsWith("Bad request, see server log")
            ? "malformed request (" + status.reasonPhrase() + "); see docs/http-api.md"
            : message;
    metrics.count(HttpMetrics.REJECTED, code);
    LOG.log(
        Level.INFO, "refused a request before routing: {0} {1} ({2})", status.code(), code, text);
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", code).put("message", text);
    headers.set(HeaderNames.CONTENT_TYPE, "application/json");
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .keepAlive(false)
        .entity(body.toString().getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
