package io.mayfly.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;

/** A real HTTP client against a running server, with short names for the tests. */
final class TestClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  TestClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  TestClient withToken(String other) {
    return new TestClient(base, other);
  }

  HttpRequest.Builder request(String path) {
    var b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return client.send(request, BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path) {
    return send(request(path).GET().build());
  }

  HttpResponse<byte[]> delete(String path) {
    return send(request(path).DELETE().build());
  }

  HttpResponse<byte[]> put(String path, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", "application/wasm")
            .PUT(BodyPublishers.ofByteArray(body))
            .build());
  }

  HttpResponse<byte[]> post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> post(String path, byte[] body) {
    return send(request(path).POST(BodyPublishers.ofByteArray(body)).build());
  }

  HttpClient client() {
    return client;
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text(r), e);
    }
  }
}
