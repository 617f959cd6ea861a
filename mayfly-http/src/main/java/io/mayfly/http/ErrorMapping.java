package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.wasm.MayflyException;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * The one place where failures become HTTP answers: every {@link MayflyException} code has its
 * status here, and every error body is {@code {"error": code, "message": text}} (plus {@code
 * reason} for a failed turn).
 */
final class ErrorMapping {
  private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

  private static final Map<String, Integer> STATUS_BY_CODE =
      Map.ofEntries(
          // the caller sent something wrong
          Map.entry("invalid_address", 400),
          Map.entry("invalid_config", 400),
          Map.entry("invalid_module", 400),
          Map.entry("abi_violation", 400),
          Map.entry("invalid_idempotency_key", 400),
          Map.entry("idempotency_key_reused", 422),
          Map.entry(RequestRejectedException.BAD_REQUEST, 400),
          Map.entry(RequestRejectedException.UNAUTHORIZED, 401),
          Map.entry(RequestRejectedException.FORBIDDEN, 403),
          Map.entry("unknown_type", 404),
          Map.entry(RequestRejectedException.NOT_FOUND, 404),
          Map.entry(RequestRejectedException.NO_STATE, 404),
          Map.entry("no_such_turn", 404),
          Map.entry(RequestRejectedException.METRICS_DISABLED, 404),
          Map.entry(RequestRejectedException.NOT_CLUSTERED, 404),
          Map.entry(RequestRejectedException.PAYLOAD_TOO_LARGE, 413),
          Map.entry("message_too_large", 413),
          // the module's start code failed or ran too long at deploy time
          Map.entry("guest_trap", 422),
          Map.entry("turn_timeout", 422),
          Map.entry("guest_out_of_memory", 422),
          Map.entry("turn_failed", 422),
          // overload: retry later
          Map.entry("mailbox_full", 429),
          Map.entry("overloaded", 429),
          Map.entry("deploy_failed", 503),
          Map.entry("undeliverable", 503),
          Map.entry("node_closed", 503),
          Map.entry("ask_timeout", 504));

  private ErrorMapping() {}

  /** The HTTP status for an error code; 500 for codes this API does not know. */
  static int status(String code) {
    return STATUS_BY_CODE.getOrDefault(code, 500);
  }

  /** Answers a Mayfly error with its status and JSON body. */
  static void send(ServerResponse res, MayflyException e) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", e.code());
    body.put("message", e.getMessage());
    if (e instanceof TurnFailedException failed) {
      body.put("reason", failed.reason().code());
    }
    int status = status(e.code());
    if (status == 429 || status == 503) {
      res.header(HeaderValues.create(HeaderNames.RETRY_AFTER, "1"));
    }
    send(res, status, body);
  }

  /** Answers anything that is not a Mayfly error: a bug, logged with its stack trace. */
  static void sendUnexpected(ServerResponse res, Throwable t) {
    LOG.log(Level.ERROR, "unexpected error in the HTTP API", t);
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", "internal");
    body.put("message", "unexpected error (" + t.getClass().getSimpleName() + "); see the log");
    send(res, 500, body);
  }

  private static void send(ServerResponse res, int status, ObjectNode body) {
    if (res.isSent()) {
      return;
    }
    res.status(Status.create(status));
    Json.send(res, body);
  }
}
