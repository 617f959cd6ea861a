package io.mayfly.http;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Reads a server-sent event stream line by line on the client's threads. */
final class SseReader implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private volatile int status;
  private volatile String contentType;
  private volatile boolean ended;

  SseReader(TestClient http, String path) {
    response =
        http.client()
            .sendAsync(
                http.request(path).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(
        r -> {
          contentType = r.headers().firstValue("Content-Type").orElse("");
          status = r.statusCode();
          r.body()
              .forEach(
                  line -> {
                    if (line.startsWith(":")) {
                      comments.incrementAndGet();
                    } else if (line.startsWith("data:")) {
                      data.add(line.substring(5).strip());
                    }
                  });
          ended = true;
        });
  }

  /** Waits for the comment the server sends once its subscription is in place. */
  void awaitSubscribed() {
    await().until(() -> comments.get() >= 1);
  }

  int status() {
    await().until(() -> status != 0);
    return status;
  }

  /** The response's Content-Type. */
  String contentType() {
    status();
    return contentType;
  }

  /** Whether the server ended the stream. */
  boolean ended() {
    return ended;
  }

  /** The next event's data, parsed. */
  JsonNode next() throws Exception {
    String line = await().until(data::poll, d -> d != null);
    return MAPPER.readTree(line);
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
    response.cancel(true);
  }
}
