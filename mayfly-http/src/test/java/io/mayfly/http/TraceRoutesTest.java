package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Mayfly;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trace context over HTTP: a request's traceparent, its span, and the recent traces routes. */
class TraceRoutesTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";

  private MayflyHttpServer server;
  private TestClient http;

  private void start(boolean tracing) {
    Mayfly node = Mayfly.builder().workers(2).tracing(tracing).build();
    server = MayflyHttpServer.builder().node(node).port(0).build().start();
    http = new TestClient(server.url(), null);
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> post(String path, String body, String traceparent) {
    var b = http.request(path).POST(BodyPublishers.ofString(body));
    if (traceparent != null) {
      b.header("traceparent", traceparent).header("tracestate", "vendor=1");
    }
    return http.send(b.build());
  }

  /** The spans of a trace by their span id, once it has {@code count} of them. */
  private Map<String, JsonNode> spans(String traceId, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              var r = http.get("/v1/traces/" + traceId);
              return r.statusCode() == 200 && json(r).path("spans").size() == count;
            });
    var byId = new HashMap<String, JsonNode>();
    json(http.get("/v1/traces/" + traceId))
        .path("spans")
        .forEach(s -> byId.put(s.path("spanId").asText(), s));
    return byId;
  }

  private static JsonNode spanNamed(Map<String, JsonNode> spans, String name, String actor) {
    return spans.values().stream()
        .filter(s -> s.path("name").asText().equals(name))
        .filter(
            s -> actor == null ? s.path("actor").isNull() : s.path("actor").asText().equals(actor))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " of " + actor + ": " + spans));
  }

  @Test
  void anAskWithATraceparentJoinsTheCallersTraceThroughAChainOfActorsAndAnswersWithItsSpan() {
    start(true);
    var r = post("/v1/actors/probe/a/ask", "send:probe/b=send:probe/c=put:k=v", TRACEPARENT);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    String answered = r.headers().firstValue("traceparent").orElseThrow();
    assertThat(answered).startsWith("00-" + CALLER_TRACE + "-").endsWith("-01");
    String requestSpan = answered.split("-")[2];
    assertThat(requestSpan).isNotEqualTo(CALLER_SPAN);
    assertThat(r.headers().firstValue("tracestate")).hasValue("vendor=1");

    Map<String, JsonNode> spans = spans(CALLER_TRACE, 4);
    JsonNode request = spans.get(requestSpan);
    assertThat(request.path("name").asText()).isEqualTo("POST /v1/actors/{type}/{id}/ask");
    assertThat(request.path("parentSpanId").asText()).isEqualTo(CALLER_SPAN);
    assertThat(request.path("kind").asText()).isEqualTo("server");
    assertThat(request.path("actor").isNull()).isTrue();
    JsonNode a = spanNamed(spans, "ask probe", "probe/a");
    JsonNode b = spanNamed(spans, "tell probe", "probe/b");
    JsonNode c = spanNamed(spans, "tell probe", "probe/c");
    assertThat(a.path("parentSpanId").asText()).isEqualTo(requestSpan);
    assertThat(b.path("parentSpanId").asText()).isEqualTo(a.path("spanId").asText());
    assertThat(c.path("parentSpanId").asText()).isEqualTo(b.path("spanId").asText());
    assertThat(a.path("status").asText()).isEqualTo("ok");
    assertThat(a.path("attributes").path("mayfly.message.kind").asText()).isEqualTo("ASK");

    JsonNode listed = json(http.get("/v1/traces?limit=1")).path("traces").get(0);
    assertThat(listed.path("traceId").asText()).isEqualTo(CALLER_TRACE);
    assertThat(listed.path("root").asText()).isEqualTo("POST /v1/actors/{type}/{id}/ask");
    assertThat(listed.path("spans").asInt()).isEqualTo(4);
    assertThat(listed.path("error").asBoolean()).isFalse();
  }

  @Test
  void aTellWithoutTraceparentOrWithAMalformedOneStartsANewTraceAndAFailureMarksIt() {
    start(true);
    var r = post("/v1/actors/probe/a", "trap", "not-a-traceparent");
    assertThat(r.statusCode()).isEqualTo(202);
    String traceId = r.headers().firstValue("traceparent").orElseThrow().split("-")[1];
    assertThat(traceId).isNotEqualTo(CALLER_TRACE).hasSize(32);

    Map<String, JsonNode> spans = spans(traceId, 2);
    JsonNode request = spanNamed(spans, "POST /v1/actors/{type}/{id}", null);
    assertThat(request.path("parentSpanId").isNull()).isTrue();
    JsonNode turn = spanNamed(spans, "tell probe", "probe/a");
    assertThat(turn.path("status").asText()).isEqualTo("error");
    assertThat(turn.path("attributes").path("mayfly.failure.reason").asText())
        .isEqualTo("guest_trap");
    await()
        .untilAsserted(
            () ->
                assertThat(
                        json(http.get("/v1/traces"))
                            .path("traces")
                            .get(0)
                            .path("error")
                            .asBoolean())
                    .isTrue());
  }

  @Test
  void aPublicationFromHttpIsTheParentOfTheTurnsThatHearIt() {
    start(true);
    assertThat(post("/v1/actors/probe/l/ask", "sub:news/#", null).statusCode()).isEqualTo(200);
    var r = post("/v1/topics/news/today", "hello", TRACEPARENT);
    assertThat(r.statusCode()).isEqualTo(202);
    String requestSpan = r.headers().firstValue("traceparent").orElseThrow().split("-")[2];
    Map<String, JsonNode> spans = spans(CALLER_TRACE, 2);
    assertThat(spanNamed(spans, "publication probe", "probe/l").path("parentSpanId").asText())
        .isEqualTo(requestSpan);
  }

  @Test
  void anUnknownTraceIsNotFound() {
    start(true);
    var r = http.get("/v1/traces/" + CALLER_TRACE);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void aNodeThatDoesNotTraceAnswersWithoutTraceparentAndKeepsNoTraces() {
    start(false);
    var r = post("/v1/actors/probe/a/ask", "put:k=v", TRACEPARENT);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("traceparent")).isEmpty();
    assertThat(json(http.get("/v1/traces")).path("traces")).isEmpty();
  }
}
