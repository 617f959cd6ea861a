package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The HTTP client of the verbs that talk to a running node. Errors become {@link ClientException}s
 * with the exit code scripts see: the node's JSON error (1), no connection (3), ask timeout (4).
 */
final class NodeClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  private final String base;
  private final String token;

  NodeClient(String url, String token) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  /** GET a JSON document. */
  JsonNode getJson(String path) {
    return json(send(request(path).GET().build(), BodyHandlers.ofByteArray()).body());
  }

  /** Sends a body and returns the response body (empty for 202/204). */
  byte[] send(String method, String path, byte[] body, String contentType) {
    return send(method, path, body, contentType, null);
  }

  /** {@link #send(String, String, byte[], String)} with an {@code Idempotency-Key} unless null. */
  byte[] send(String method, String path, byte[] body, String contentType, String idempotencyKey) {
    HttpRequest.Builder b =
        request(path)
            .method(
                method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b.build(), BodyHandlers.ofByteArray()).body();
  }

  /** The lines of a server-sent event stream; close the stream to disconnect. */
  Stream<String> eventLines(String path) {
    HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> r = exchange(req, BodyHandlers.ofLines());
    if (r.statusCode() >= 400) {
      String body = String.join("\n", r.body().toList());
      throw nodeError(r.statusCode(), body.getBytes(StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path));
    } catch (IllegalArgumentException e) {
      throw new ClientException(
          "invalid_url", "--url '" + base + "' is not a valid URL", ExitCodes.USAGE, e);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest req, BodyHandler<byte[]> handler) {
    HttpResponse<byte[]> r = exchange(req, handler);
    if (r.statusCode() >= 400) {
      throw nodeError(r.statusCode(), r.body());
    }
    return r;
  }

  private <T> HttpResponse<T> exchange(HttpRequest req, BodyHandler<T> handler) {
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw new ClientException(
          "cannot_connect",
          "cannot reach the node at "
              + base
              + " ("
              + describe(e)
              + "); is it running (mayfly run)?",
          ExitCodes.CANNOT_CONNECT,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted", "interrupted", ExitCodes.NODE_ERROR, e);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** The node's {@code {"error", "message"}} as an exception. */
  private static ClientException nodeError(int status, byte[] body) {
    String code = "http_" + status;
    String message = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode error = MAPPER.readTree(body);
      if (error != null && error.hasNonNull("error")) {
        code = error.path("error").asText();
        message = error.path("message").asText();
        if (error.hasNonNull("reason")) {
          message = message + " [" + error.path("reason").asText() + "]";
        }
      }
    } catch (IOException notJson) {
      // Not one of the API's errors (a proxy, another server): show the body as it came.
    }
    if (message.isEmpty()) {
      message = "HTTP " + status;
    }
    int exit = code.equals("ask_timeout") ? ExitCodes.ASK_TIMEOUT : ExitCodes.NODE_ERROR;
    return new ClientException(code, message, exit);
  }

  static JsonNode json(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ClientException(
          "bad_response", "the node answered with something other than JSON", ExitCodes.NODE_ERROR);
    }
  }

  /** Percent-encodes one path segment (an actor type, an id, a topic segment). */
  static String segment(String s) {
    var out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** Percent-encodes a topic or filter, keeping its '/' separators. */
  static String topic(String topic) {
    var out = new StringBuilder();
    String[] parts = topic.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      out.append(segment(parts[i]));
    }
    return out.toString();
  }

  /** Percent-encodes a query parameter value. */
  static String query(String value) {
    return segment(value);
  }
}
