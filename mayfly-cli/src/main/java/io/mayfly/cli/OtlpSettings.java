package io.mayfly.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code mayfly run} exports spans: the {@code otlp-endpoint} setting, else the standard
 * OpenTelemetry variables {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the traces URL as given) and
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL, to which {@code /v1/traces} is added); with
 * {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} or {@code OTEL_EXPORTER_OTLP_HEADERS} ({@code
 * k=v,k2=v2}, values percent-decoded) and {@code OTEL_SERVICE_NAME} (default {@code mayfly}).
 */
final class OtlpSettings {
  static final String TRACES_PATH = "/v1/traces";

  private OtlpSettings() {}

  /** The export settings, or empty when no endpoint is set. */
  static Optional<OtlpSpanSink.Settings> resolve(NodeSettings s, Map<String, String> env) {
    URI endpoint;
    if (s.value("otlp-endpoint").isPresent()) {
      endpoint = tracesUrl(s, s.string("otlp-endpoint", ""), true);
    } else if (env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null) {
      endpoint = tracesUrl(s, env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), false);
    } else if (env.get("OTEL_EXPORTER_OTLP_ENDPOINT") != null) {
      endpoint = tracesUrl(s, env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), true);
    } else {
      return Optional.empty();
    }
    String headers =
        env.getOrDefault(
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS", env.get("OTEL_EXPORTER_OTLP_HEADERS"));
    String service = env.getOrDefault("OTEL_SERVICE_NAME", "mayfly");
    return Optional.of(new OtlpSpanSink.Settings(endpoint, headers(s, headers), service, "local"));
  }

  /**
   * The traces URL of {@code text}: http or https with a host; a base URL (no path, or {@code /})
   * gets {@code /v1/traces} when {@code base} allows it.
   */
  private static URI tracesUrl(NodeSettings s, String text, boolean base) {
    URI uri;
    try {
      uri = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw s.badEntry("otlp-endpoint", text, "must be an http or https URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw s.badEntry("otlp-endpoint", text, "must be an http or https URL with a host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (base && (path.isEmpty() || path.equals("/"))) {
      return uri.resolve(TRACES_PATH);
    }
    if (base && !path.endsWith(TRACES_PATH)) {
      return URI.create(uri.toString().replaceAll("/+$", "") + TRACES_PATH);
    }
    return uri;
  }

  private static Map<String, String> headers(NodeSettings s, String text) {
    var headers = new LinkedHashMap<String, String>();
    if (text == null || text.isBlank()) {
      return headers;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw s.badEntry(
            "OTEL_EXPORTER_OTLP_HEADERS", pair, "must be a list of key=value separated by commas");
      }
      headers.put(
          pair.substring(0, eq).strip(),
          URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
