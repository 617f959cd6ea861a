package io.mayfly.http;

import static io.mayfly.http.TestClient.json;
import static io.mayfly.http.TestClient.text;
import static io.mayfly.testing.Checkout.guest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every route and documented error of API v1, over a real socket with a real client. */
class HttpApiTest {
  private static final int MAX_BODY = 4096;
  private static final int MAX_MODULE = 64 * 1024;

  private MayflyHttpServer server;
  private TestClient http;

  @BeforeEach
  void start() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Mayfly node = Mayfly.builder().workers(2).meterRegistry(registry).build();
    server =
        MayflyHttpServer.builder()
            .node(node)
            .port(0)
            .maxBodyBytes(MAX_BODY)
            .maxModuleBytes(MAX_MODULE)
            .metrics(registry)
            .build()
            .start();
    http = new TestClient(server.url(), null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void deployProbe(String query) {
    var r = http.put("/v1/types/probe" + query, guest("probe"));
    assertThat(r.statusCode()).as(text(r)).isIn(200, 201);
  }

  private HttpResponse<byte[]> ask(String address, String script) {
    return askWith(address, "", script);
  }

  private HttpResponse<byte[]> askWith(String address, String query, String script) {
    return http.post("/v1/actors/" + address + "/ask" + query, script);
  }

  private static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = json(r);
    assertThat(body.path("error").asText()).isEqualTo(code);
    assertThat(body.path("message").asText()).isNotBlank();
  }

  @Test
  void deployAnswers201WithTheTypesDescription() {
    var r = http.put("/v1/types/probe?ttl=after_write:30s&mailboxCapacity=16", guest("probe"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    JsonNode body = json(r);
    assertThat(body.path("type").asText()).isEqualTo("probe");
    assertThat(body.path("version").asInt()).isEqualTo(1);
    assertThat(body.path("sha256").asText()).hasSize(64);
    assertThat(body.path("exports").toString()).contains("mayfly_handle");
    assertThat(body.path("imports").toString()).contains("state_put");
    assertThat(body.at("/config/ttl/policy").asText()).isEqualTo("after_write");
    assertThat(body.at("/config/ttl/durationMs").asLong()).isEqualTo(30_000);
    assertThat(body.at("/config/mailboxCapacity").asInt()).isEqualTo(16);
  }

  @Test
  void redeployAnswers200WithTheNextVersion() {
    deployProbe("");
    var r = http.put("/v1/types/probe", guest("probe"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("version").asInt()).isEqualTo(2);
  }

  @Test
  void deployTakesEveryOptionFromTheQuery() {
    var r =
        http.put(
            "/v1/types/probe?ttl=never&mailboxCapacity=8&turnTimeout=250ms&askTimeout=PT2S"
                + "&maxMessageBytes=1000&maxStateBytes=5000&maxMemoryPages=32"
                + "&maxEffectsPerTurn=10&subscribe=in/%2B:%7B1%7D&subscribe=all/%23:x",
            guest("probe"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    JsonNode c = json(r).path("config");
    assertThat(c.at("/ttl/policy").asText()).isEqualTo("never");
    assertThat(c.path("turnTimeoutMs").asLong()).isEqualTo(250);
    assertThat(c.path("askTimeoutMs").asLong()).isEqualTo(2000);
    assertThat(c.path("maxMessageBytes").asInt()).isEqualTo(1000);
    assertThat(c.path("maxStateBytes").asInt()).isEqualTo(5000);
    assertThat(c.path("maxMemoryPages").asInt()).isEqualTo(32);
    assertThat(c.path("maxEffectsPerTurn").asInt()).isEqualTo(10);
    assertThat(c.path("subscriptions").toString())
        .contains("\"filter\":\"in/+\",\"idTemplate\":\"{1}\"")
        .contains("\"filter\":\"all/#\"");
  }

  @Test
  void malformedOptionsAre400InvalidConfigNamingTheParameter() {
    for (String query :
        List.of(
            "mailboxCapacity=many",
            "turnTimeout=5x",
            "ttl=sometimes:5s",
            "ttl=after_write",
            "maxMemoryPages=0",
            "subscribe=nocolon",
            "colour=blue")) {
      var r = http.put("/v1/types/probe?" + query, guest("probe"));
      assertError(r, 400, "invalid_config");
      String parameter = query.substring(0, query.indexOf('='));
      assertThat(json(r).path("message").asText()).as(query).contains(parameter);
    }
  }

  @Test
  void badModulesAre400WithTheReason() {
    assertError(http.put("/v1/types/bad", "not wasm at all".getBytes()), 400, "invalid_module");
    byte[] emptyModule = {0, 'a', 's', 'm', 1, 0, 0, 0};
    assertError(http.put("/v1/types/bad", emptyModule), 400, "abi_violation");
    assertError(http.put("/v1/types/bad", new byte[0]), 400, "bad_request");
  }

  @Test
  void oversizedModuleIs413() {
    assertError(http.put("/v1/types/big", new byte[MAX_MODULE + 1]), 413, "payload_too_large");
  }

  @Test
  void badTypeNameIs400InvalidAddress() {
    assertError(http.put("/v1/types/Upper", guest("probe")), 400, "invalid_address");
    assertError(http.post("/v1/actors/Bad!/x", "m"), 400, "invalid_address");
  }

  @Test
  void typesAreListedReadAndUndeployed() {
    deployProbe("");
    assertThat(http.put("/v1/types/counter", guest("counter")).statusCode()).isEqualTo(201);

    var list = http.get("/v1/types");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(json(list).path("types").findValuesAsText("type"))
        .containsExactlyInAnyOrder("probe", "counter");
    assertThat(json(http.get("/v1/types/counter")).path("type").asText()).isEqualTo("counter");

    assertThat(http.delete("/v1/types/counter").statusCode()).isEqualTo(204);
    assertError(http.get("/v1/types/counter"), 404, "unknown_type");
    assertError(http.delete("/v1/types/counter"), 404, "unknown_type");
  }

  @Test
  void tellIs202AndTheActorHandlesIt() {
    assertThat(http.put("/v1/types/counter", guest("counter")).statusCode()).isEqualTo(201);

    var r = http.post("/v1/actors/counter/c1", "tick");

    assertThat(r.statusCode()).isEqualTo(202);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        json(http.get("/v1/actors/counter/c1/state"))
                            .at("/entries/n/base64")
                            .asText())
                    .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 0, 0, 0})));
  }

  @Test
  void askAnswers200WithTheReplyBytes() {
    deployProbe("");

    var r = ask("probe/a", "put:k=v;get:k");

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(text(r)).isEqualTo("0,v");
  }

  @Test
  void sharedDataIsPutReadByActorsAndRemoved() {
    deployProbe("");

    var put = http.put("/v1/shared/models/v1", "weights".getBytes(StandardCharsets.UTF_8));
    assertThat(put.statusCode()).as(text(put)).isEqualTo(204);
    assertThat(text(ask("probe/a", "shared:models/v1"))).isEqualTo("weights");

    var replace = http.put("/v1/shared/models/v1", new byte[0]);
    assertThat(replace.statusCode()).as(text(replace)).isEqualTo(204);
    assertThat(text(ask("probe/a", "shared:models/v1"))).isEmpty();

    var removed = http.delete("/v1/shared/models/v1");
    assertThat(removed.statusCode()).as(text(removed)).isEqualTo(204);
    assertThat(text(ask("probe/a", "shared:models/v1"))).isEqualTo("-1");
    assertError(http.delete("/v1/shared/models/v1"), 404, "not_found");
  }

  @Test
  void badSharedDataKeyIs400AndOversizedValueIs413() {
    byte[] value = {1};
    assertError(http.put("/v1/shared/", value), 400, "invalid_config");
    assertError(http.put("/v1/shared/" + "k".repeat(257), value), 400, "invalid_config");
    assertThat(http.put("/v1/shared/" + "k".repeat(256), value).statusCode()).isEqualTo(204);
    assertError(http.put("/v1/shared/big", new byte[MAX_BODY + 1]), 413, "payload_too_large");
  }

  @Test
  void messagesToAnUnknownTypeAre404() {
    assertError(http.post("/v1/actors/nosuch/a", "m"), 404, "unknown_type");
    assertError(ask("nosuch/a", "m"), 404, "unknown_type");
    assertError(http.get("/v1/actors/nosuch"), 404, "unknown_type");
    assertError(http.get("/v1/actors/nosuch/a/state"), 404, "unknown_type");
  }

  @Test
  void badActorIdIs400InvalidAddress() {
    deployProbe("");
    assertError(http.post("/v1/actors/probe/with%20space", "m"), 400, "invalid_address");
    assertError(ask("probe/" + "x".repeat(300), "m"), 400, "invalid_address");
  }

  @Test
  void askWithoutReplyInTimeIs504() {
    deployProbe("");
    assertError(askWith("probe/a", "?timeout=100ms", "handle:h"), 504, "ask_timeout");
  }

  @Test
  void malformedAskTimeoutIs400() {
    deployProbe("");
    var r = askWith("probe/a", "?timeout=soon", "get:k");
    assertError(r, 400, "invalid_config");
    assertThat(json(r).path("message").asText()).contains("timeout");
  }

  @Test
  void failedTurnIs422WithTheReason() {
    deployProbe("");

    var trap = ask("probe/a", "put:k=v;trap");
    assertError(trap, 422, "turn_failed");
    assertThat(json(trap).path("reason").asText()).isEqualTo("guest_trap");

    var fail = ask("probe/a", "fail:7");
    assertError(fail, 422, "turn_failed");
    assertThat(json(fail).path("reason").asText()).isEqualTo("guest_error");
    assertError(http.get("/v1/actors/probe/a/state"), 404, "no_state");
  }

  private HttpResponse<byte[]> postWithKey(String path, String script, String key) {
    return http.send(
        http.request(path)
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(script))
            .build());
  }

  @Test
  void aTellRetriedWithItsIdempotencyKeyIsAcceptedEachTimeAndAppliedOnce() {
    deployProbe("");
    for (int i = 0; i < 3; i++) {
      assertThat(postWithKey("/v1/actors/probe/a", "inc:n", "order-7").statusCode()).isEqualTo(202);
    }
    // Quoted, as structured header fields write strings: the same key.
    assertThat(postWithKey("/v1/actors/probe/a", "inc:n", "\"order-7\"").statusCode())
        .isEqualTo(202);
    await().untilAsserted(() -> assertThat(text(ask("probe/a", "get:n"))).isEqualTo("1"));
    assertThat(text(http.get("/metrics")))
        .contains("mayfly_messages_duplicate_total{type=\"probe\"} 3.0");
  }

  @Test
  void anAskRetriedWithItsIdempotencyKeyGetsTheFirstReply() {
    deployProbe("");
    var first = postWithKey("/v1/actors/probe/a/ask", "inc:n", "k-1");
    var retry = postWithKey("/v1/actors/probe/a/ask", "inc:n", "k-1");
    assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
    assertThat(text(first)).isEqualTo("1");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(text(retry)).isEqualTo("1");
    assertThat(text(postWithKey("/v1/actors/probe/a/ask", "inc:n", "k-2"))).isEqualTo("2");
  }

  @Test
  void anIdempotencyKeyReusedOnAnotherMessageIs422AndABadOneIs400() {
    deployProbe("");
    assertThat(postWithKey("/v1/actors/probe/a/ask", "inc:n", "k").statusCode()).isEqualTo(200);
    var reused = postWithKey("/v1/actors/probe/a/ask", "inc:m", "k");
    assertError(reused, 422, "idempotency_key_reused");
    assertThat(json(reused).path("message").asText()).contains("'k'");
    assertError(postWithKey("/v1/actors/probe/a", "inc:m", "k"), 422, "idempotency_key_reused");

    var spaced = postWithKey("/v1/actors/probe/a", "inc:m", "two words");
    assertError(spaced, 400, "invalid_idempotency_key");
    assertThat(json(spaced).path("message").asText()).contains("U+0020 at index 3");
    assertError(
        postWithKey("/v1/actors/probe/a/ask", "inc:m", "x".repeat(129)),
        400,
        "invalid_idempotency_key");
    assertError(
        http.send(
            http.request("/v1/actors/probe/a")
                .header("Idempotency-Key", "a")
                .header("Idempotency-Key", "b")
                .POST(HttpRequest.BodyPublishers.ofString("inc:m"))
                .build()),
        400,
        "invalid_idempotency_key");
    assertThat(text(ask("probe/a", "get:m"))).isEqualTo("-1");
  }

  @Test
  void aConfirmedTellAnswers202OnlyOnceItsTurnCommittedAndItsFailureOtherwise() {
    deployProbe("");
    var told = http.post("/v1/actors/probe/a?confirm=true", "inc:n");
    assertThat(told.statusCode()).as(text(told)).isEqualTo(202);
    // Confirmed: the turn has committed, so the state is there without waiting.
    assertThat(json(http.get("/v1/actors/probe/a/state")).at("/entries/n/utf8").asText())
        .isEqualTo("1");

    var trap = http.post("/v1/actors/probe/a?confirm=true&timeout=5s", "inc:n;trap");
    assertError(trap, 422, "turn_failed");
    assertThat(json(trap).path("reason").asText()).isEqualTo("guest_trap");

    var retried = postWithKey("/v1/actors/probe/a?confirm=true", "inc:n", "c-1");
    var again = postWithKey("/v1/actors/probe/a?confirm=true", "inc:n", "c-1");
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(text(ask("probe/a", "get:n"))).isEqualTo("2");
  }

  @Test
  void confirmAndItsTimeoutAreChecked() {
    deployProbe("");
    assertError(http.post("/v1/actors/probe/a?confirm=yes", "inc:n"), 400, "invalid_config");
    assertError(http.post("/v1/actors/probe/a?timeout=5s", "inc:n"), 400, "invalid_config");
    assertError(
        http.post("/v1/actors/probe/a?confirm=true&timeout=0s", "inc:n"), 400, "invalid_config");
    assertThat(http.post("/v1/actors/probe/a?confirm=false", "inc:n").statusCode()).isEqualTo(202);
  }

  @Test
  void fullMailboxIs429() {
    deployProbe("?mailboxCapacity=1");
    // The first message keeps the actor busy; the mailbox fills behind it.
    assertThat(http.post("/v1/actors/probe/busy", "loop").statusCode()).isEqualTo(202);
    var statuses = new ArrayList<Integer>();
    await()
        .untilAsserted(
            () -> {
              var r = http.post("/v1/actors/probe/busy", "get:k");
              statuses.add(r.statusCode());
              if (r.statusCode() == 429) {
                assertError(r, 429, "mailbox_full");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
              }
              assertThat(statuses).contains(429);
            });
  }

  @Test
  void oversizedMessageIs413BeforeReachingTheNode() {
    deployProbe("");
    assertError(http.post("/v1/actors/probe/a", new byte[MAX_BODY + 1]), 413, "payload_too_large");
    assertError(ask("probe/a", "x".repeat(MAX_BODY + 1)), 413, "payload_too_large");
    assertError(http.post("/v1/topics/t", new byte[MAX_BODY + 1]), 413, "payload_too_large");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    deployProbe("");
    var body =
        BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[MAX_BODY * 3]));
    var r = http.send(http.request("/v1/actors/probe/a").POST(body).build());
    assertError(r, 413, "payload_too_large");
  }

  @Test
  void messageOverTheTypesLimitIs413MessageTooLarge() {
    deployProbe("?maxMessageBytes=10");
    assertError(http.post("/v1/actors/probe/a", "x".repeat(11)), 413, "message_too_large");
  }

  @Test
  void stateShowsEntriesAsBase64AndTextWithTheirTtl() {
    deployProbe("?ttl=after_write:10m");
    assertThat(ask("probe/s", "put:greeting=hello;put:bin=\u0001").statusCode()).isEqualTo(200);

    var r = http.get("/v1/actors/probe/s/state");

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode state = json(r);
    assertThat(state.path("address").asText()).isEqualTo("probe/s");
    assertThat(state.path("remainingTtlMs").asLong()).isBetween(1L, 600_000L);
    assertThat(state.at("/entries/greeting/utf8").asText()).isEqualTo("hello");
    assertThat(state.at("/entries/greeting/base64").asText())
        .isEqualTo(Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(state.at("/entries/bin").has("utf8")).isFalse();
    assertThat(state.at("/entries/bin/base64").asText()).isEqualTo("AQ==");
  }

  @Test
  void stateOfAnActorWithoutStateIs404() {
    deployProbe("");
    assertError(http.get("/v1/actors/probe/nobody/state"), 404, "no_state");
  }

  @Test
  void actorsAreListedAPageAtATime() {
    deployProbe("");
    for (String id : List.of("a", "b", "c")) {
      assertThat(ask("probe/" + id, "put:k=v").statusCode()).isEqualTo(200);
    }

    JsonNode all = json(http.get("/v1/actors/probe"));
    assertThat(all.path("actors").toString()).contains("\"a\"", "\"b\"", "\"c\"");
    JsonNode page = json(http.get("/v1/actors/probe?offset=1&limit=1"));
    assertThat(page.path("actors")).hasSize(1);
    assertThat(page.path("offset").asInt()).isEqualTo(1);

    assertError(http.get("/v1/actors/probe?limit=0"), 400, "invalid_config");
    assertError(http.get("/v1/actors/probe?offset=x"), 400, "invalid_config");
  }

  @Test
  void publishReachesSubscribedActorsAndIs202() {
    deployProbe("?subscribe=in/%2B:%7B1%7D");

    var r = http.post("/v1/topics/in/dev-1", "hello");

    assertThat(r.statusCode()).isEqualTo(202);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        json(http.get("/v1/actors/probe/dev-1/state"))
                            .at("/entries/inbox/utf8")
                            .asText())
                    .contains("in/dev-1")
                    .contains("hello"));
  }

  @Test
  void publishOnAWildcardIs400() {
    assertError(http.post("/v1/topics/a/%2B", "m"), 400, "invalid_address");
  }

  @Test
  void topicEventsStreamPublicationsAsServerSentEvents() throws Exception {
    deployProbe("");
    try (var events = new SseReader(http, "/v1/topics/alerts/%2B/events")) {
      events.awaitSubscribed();

      assertThat(http.post("/v1/topics/alerts/outside", "from outside").statusCode())
          .isEqualTo(202);
      assertThat(ask("probe/p", "pub:alerts/inside=from actor").statusCode()).isEqualTo(200);
      assertThat(http.post("/v1/topics/other/x", "not matching").statusCode()).isEqualTo(202);

      JsonNode first = events.next();
      assertThat(first.path("topic").asText()).isEqualTo("alerts/outside");
      assertThat(first.path("utf8").asText()).isEqualTo("from outside");
      assertThat(first.path("publisher").isNull()).isTrue();
      JsonNode second = events.next();
      assertThat(second.path("topic").asText()).isEqualTo("alerts/inside");
      assertThat(second.path("publisher").asText()).isEqualTo("probe/p");
    }
  }

  @Test
  void badTopicFilterForEventsIs400() {
    assertError(http.get("/v1/topics/a/%23/b/events"), 400, "invalid_address");
  }

  @Test
  void healthIsUp() {
    var r = http.get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("status").asText()).isEqualTo("up");
  }

  @Test
  void metricsArePrometheusText() {
    deployProbe("");
    assertThat(ask("probe/m", "put:k=v").statusCode()).isEqualTo(200);

    var r = http.get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(text(r))
        .contains("mayfly_turns_total")
        .contains("mayfly_turn_duration_seconds")
        .contains("mayfly_actors_active")
        .contains("mayfly_mailbox_depth")
        .contains("mayfly_state_bytes")
        .contains("mayfly_http_requests_total");
  }

  @Test
  void malformedHttpIsRefusedAndTheServerKeepsServing() throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 4");
    }
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownRouteIs404Json() {
    assertError(http.get("/v2/nothing"), 404, "not_found");
    assertError(
        http.send(http.request("/v1/types").POST(BodyPublishers.noBody()).build()),
        404,
        "not_found");
  }

  @Test
  void closeFailsAPendingAskWith503AndStopsListening() throws Exception {
    deployProbe("");
    var pending =
        http.client()
            .sendAsync(
                http.request("/v1/actors/probe/w/ask?timeout=30s")
                    .POST(BodyPublishers.ofString("handle:h"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    // The ask is pending once the actor's turn has run and kept its reply handle for later.
    await().until(() -> server.port() > 0 && activeAsk());

    server.close();

    HttpResponse<byte[]> r = pending.get();
    assertError(r, 503, "node_closed");
    assertThat(server.port()).isEqualTo(-1);
  }

  @Test
  void whileTheNodeDrainsNewRequestsGet503AndEventStreamsEnd() throws Exception {
    deployProbe("?turnTimeout=2s");
    try (var events = new SseReader(http, "/v1/topics/t/events")) {
      events.awaitSubscribed();
      // A turn that runs until its deadline keeps the node draining for a while.
      assertThat(http.post("/v1/actors/probe/busy", "loop").statusCode()).isEqualTo(202);
      assertThat(http.post("/v1/actors/probe/busy", "put:k=v").statusCode()).isEqualTo(202);

      var closed = java.util.concurrent.CompletableFuture.runAsync(server::close);

      await().until(() -> http.get("/health").statusCode() == 503);
      assertThat(json(http.get("/health")).path("status").asText()).isEqualTo("closing");
      assertError(http.post("/v1/actors/probe/other", "m"), 503, "node_closed");
      assertThat(http.post("/v1/actors/probe/other", "m").headers().firstValue("Retry-After"))
          .isPresent();
      await().until(events::ended);
      closed.join();
    }
  }

  private boolean activeAsk() {
    return turns(text(http.get("/metrics"))) >= 1;
  }

  private static double turns(String prometheus) {
    return prometheus
        .lines()
        .filter(l -> l.startsWith("mayfly_turns_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void startedTwiceIsAnError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class);
  }
}
