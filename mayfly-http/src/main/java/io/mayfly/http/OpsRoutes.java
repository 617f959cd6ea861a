package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The routes for operators rather than for actors: liveness and readiness probes, the Prometheus
 * scrape, and the OpenAPI document of the API. docs/http-api.md describes them.
 */
final class OpsRoutes {
  private static final System.Logger LOG = System.getLogger(OpsRoutes.class.getName());

  /** The probes answer during shutdown too; every other request is refused then (503). */
  static final Set<String> ALWAYS_ANSWERED = Set.of("/health", "/livez", "/readyz");

  /** The name of the built-in readiness check: the node accepts work. */
  static final String NODE_CHECK = "node";

  private static final String OPENAPI_RESOURCE = "openapi.json";

  private final Map<String, BooleanSupplier> readiness;
  private final PrometheusMeterRegistry metrics;
  private final byte[] openApi;

  /**
   * @param healthy whether no part of the node is gone (what {@code /health} reports as problems):
   *     a node that lost its watchdog, a worker or its listener is not ready either
   */
  OpsRoutes(
      Map<String, BooleanSupplier> checks,
      PrometheusMeterRegistry metrics,
      AtomicBoolean closing,
      BooleanSupplier healthy) {
    var all = new LinkedHashMap<String, BooleanSupplier>();
    all.put(NODE_CHECK, () -> !closing.get() && healthy.getAsBoolean());
    all.putAll(checks);
    this.readiness = Map.copyOf(all);
    this.metrics = metrics;
    this.openApi = openApiDocument();
  }

  /** The open routes of the API listener. */
  void register(HttpRouting.Builder r) {
    r.get("/livez", this::live).get("/readyz", this::ready).get("/v1/openapi.json", this::openApi);
  }

  /** {@code GET /livez}: the process serves HTTP; 200 even while shutting down. */
  private void live(ServerRequest req, ServerResponse res) {
    Json.send(res, Json.MAPPER.createObjectNode().put("status", "live"));
  }

  /**
   * {@code GET /readyz}: 200 when every readiness check passes, otherwise 503; the body names each
   * check and whether it passed.
   */
  private void ready(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode checks = Json.MAPPER.createObjectNode();
    boolean ready = true;
    for (String name : readiness.keySet().stream().sorted().toList()) {
      boolean passed = passes(name, readiness.get(name));
      checks.put(name, passed);
      ready &= passed;
    }
    body.put("status", ready ? "ready" : "not_ready");
    body.set("checks", checks);
    res.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
    Json.send(res, body);
  }

  /** A check that throws is a failed check, logged: the probe itself must answer. */
  private static boolean passes(String name, BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "readiness check '" + name + "' failed with an exception", e);
      return false;
    }
  }

  /** {@code GET /v1/openapi.json}: the OpenAPI 3.1 document of this API. */
  private void openApi(ServerRequest req, ServerResponse res) {
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    res.send(openApi);
  }

  /** {@code GET /metrics}: the Prometheus text format. */
  void metrics(ServerRequest req, ServerResponse res) {
    if (metrics == null) {
      throw new RequestRejectedException(
          RequestRejectedException.METRICS_DISABLED,
          "this node was started without a Prometheus registry");
    }
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4"));
    res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }

  /** The routing of the separate metrics listener: {@code /metrics} only, without a token. */
  void registerMetricsListener(HttpRouting.Builder r) {
    r.get("/metrics", this::metrics)
        .any(
            (req, res) ->
                ErrorMapping.send(
                    res,
                    new RequestRejectedException(
                        RequestRejectedException.NOT_FOUND,
                        "the metrics listener serves only GET /metrics")))
        .error(RequestRejectedException.class, (req, res, e) -> ErrorMapping.send(res, e))
        .error(Throwable.class, (req, res, e) -> ErrorMapping.sendUnexpected(res, e));
  }

  private static byte[] openApiDocument() {
    try (InputStream in = OpsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }
}
