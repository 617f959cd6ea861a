package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.http.Access.Role;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Span;
import io.mayfly.runtime.TraceSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The recent traces a tracing node keeps, under {@code /v1/traces}: a list, newest first, and the
 * spans of one trace (docs/http-api.md). A node that does not trace lists none.
 */
final class TraceRoutes {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private final Mayfly node;

  TraceRoutes(Mayfly node) {
    this.node = node;
  }

  void register(HttpRouting.Builder r, BiFunction<Role, Handler, Handler> guarded) {
    r.get("/v1/traces", guarded.apply(Role.ADMIN, this::list))
        .get("/v1/traces/{traceId}", guarded.apply(Role.ADMIN, this::trace));
  }

  private void list(ServerRequest req, ServerResponse res) {
    int limit =
        req.query().contains("limit")
            ? TypeOptions.integer("limit", req.query().first("limit").orElse(""))
            : DEFAULT_LIMIT;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidConfigException("limit must be in 1.." + MAX_LIMIT + ", was " + limit);
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("tracing", node.tracing().enabled());
    ArrayNode traces = body.putArray("traces");
    for (TraceSummary t : node.tracing().recent(limit)) {
      traces
          .addObject()
          .put("traceId", t.traceId())
          .put("root", t.root())
          .put("startEpochMs", t.startEpochNanos() / 1_000_000)
          .put("durationMicros", t.durationNanos() / 1_000)
          .put("spans", t.spans())
          .put("error", t.error());
    }
    Json.send(res, body);
  }

  private void trace(ServerRequest req, ServerResponse res) {
    String traceId = req.path().pathParameters().get("traceId");
    List<Span> spans =
        node.tracing()
            .trace(traceId)
            .orElseThrow(
                () ->
                    new RequestRejectedException(
                        RequestRejectedException.NOT_FOUND,
                        "no trace "
                            + traceId
                            + " is kept (unknown, or older than the recent traces kept)"));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("traceId", traceId);
    ArrayNode list = body.putArray("spans");
    for (Span s : spans) {
      ObjectNode o = list.addObject();
      o.put("spanId", s.spanId())
          .put("parentSpanId", s.parentSpanId())
          .put("name", s.name())
          .put("actor", s.actor() == null ? null : s.actor().toString())
          .put("kind", s.kind().name().toLowerCase(Locale.ROOT))
          .put("startEpochMicros", s.startEpochNanos() / 1_000)
          .put("durationMicros", s.durationNanos() / 1_000)
          .put("status", s.error() ? "error" : "ok");
      ObjectNode attributes = o.putObject("attributes");
      for (Map.Entry<String, String> a : s.attributes().entrySet()) {
        attributes.put(a.getKey(), a.getValue());
      }
      if (s.statusMessage() != null) {
        attributes.put("mayfly.status.message", s.statusMessage());
      }
    }
    Json.send(res, body);
  }
}
