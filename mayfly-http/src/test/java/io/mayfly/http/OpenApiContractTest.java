package io.mayfly.http;

import static io.mayfly.http.TestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document served at {@code /v1/openapi.json} is a valid OpenAPI 3.1 document, and a
 * running server answers every documented route with a documented status and a body its schema
 * accepts.
 */
class OpenApiContractTest {
  private static final String ADMIN = "adm";
  private static final String CLIENT = "cli";
  private static final int MAX_BODY = 4096;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private static String documentText;
  private static JsonNode document;
  private static OpenAPI model;

  private final AtomicBoolean brokerConnected = new AtomicBoolean(true);
  private final Set<String> called = new TreeSet<>();
  private final Set<Integer> errorStatuses = new TreeSet<>();
  private MayflyHttpServer server;

  @BeforeAll
  static void parseTheDocument() throws IOException {
    try (InputStream in = OpsRoutes.class.getResourceAsStream("openapi.json")) {
      documentText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    document = MAPPER.readTree(documentText);
    var options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(documentText, null, options);
    assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
    model = result.getOpenAPI();
  }

  @BeforeEach
  void start() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Mayfly node = Mayfly.builder().workers(2).meterRegistry(registry).tracing(true).build();
    server =
        MayflyHttpServer.builder()
            .node(node)
            .port(0)
            .adminToken(ADMIN)
            .clientTokens(List.of(CLIENT))
            .maxBodyBytes(MAX_BODY)
            .metrics(registry)
            .readinessCheck("mqtt", brokerConnected::get)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theDocumentIsOpenApi31AndDescribesEveryRoute() {
    assertThat(model.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(model.getOpenapi()).isEqualTo("3.1.0");
    assertThat(documentedOperations())
        .containsExactlyInAnyOrder(
            "GET /health",
            "GET /livez",
            "GET /readyz",
            "GET /v1/openapi.json",
            "GET /metrics",
            "GET /v1/stats",
            "GET /v1/cluster",
            "GET /v1/types",
            "PUT /v1/types/{type}",
            "GET /v1/types/{type}",
            "DELETE /v1/types/{type}",
            "GET /v1/actors/{type}",
            "POST /v1/actors/{type}/{id}",
            "POST /v1/actors/{type}/{id}/ask",
            "GET /v1/actors/{type}/{id}/state",
            "POST /v1/topics/{topic}",
            "GET /v1/topics/{filter}/events",
            "PUT /v1/shared/{key}",
            "DELETE /v1/shared/{key}",
            "GET /v1/recordings",
            "PUT /v1/recordings/{type}",
            "DELETE /v1/recordings/{type}",
            "GET /v1/recordings/{type}",
            "PUT /v1/recordings/{type}/{id}",
            "DELETE /v1/recordings/{type}/{id}",
            "GET /v1/recordings/{type}/{id}",
            "POST /v1/recordings/{type}/{id}/replay",
            "GET /v1/traces",
            "GET /v1/traces/{traceId}");
  }

  @Test
  void theServedDocumentIsTheCommittedOne() throws IOException {
    var r = call("GET", "/v1/openapi.json", "/v1/openapi.json", null, null);
    assertThat(MAPPER.readTree(r.body())).isEqualTo(document);
  }

  @Test
  void everyRouteAnswersAsDocumented() throws Exception {
    // operations
    call("GET", "/health", "/health", null, null);
    call("GET", "/livez", "/livez", null, null);
    call("GET", "/v1/openapi.json", "/v1/openapi.json", null, null);
    call("GET", "/readyz", "/readyz", null, null);
    brokerConnected.set(false);
    assertThat(call("GET", "/readyz", "/readyz", null, null).statusCode()).isEqualTo(503);
    call("GET", "/metrics", "/metrics", null, ADMIN);
    assertThat(call("GET", "/metrics", "/metrics", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/metrics", "/metrics", null, CLIENT).statusCode()).isEqualTo(403);

    // types
    byte[] probe = io.mayfly.testing.Checkout.guest("probe");
    String deploy = "/v1/types/{type}";
    assertThat(
            call("PUT", deploy, "/v1/types/probe?ttl=after_write:90s&turnTimeout=1s", probe, ADMIN)
                .statusCode())
        .isEqualTo(201);
    assertThat(
            call("PUT", deploy, "/v1/types/probe?subscribe=in/%2B:%7B1%7D", probe, ADMIN)
                .statusCode())
        .isEqualTo(200);
    assertThat(call("PUT", deploy, "/v1/types/never?ttl=never", probe, ADMIN).statusCode())
        .isEqualTo(201);
    assertThat(call("PUT", deploy, "/v1/types/bad?ttl=soon", probe, ADMIN).statusCode())
        .isEqualTo(400);
    assertThat(
            call("PUT", deploy, "/v1/types/bad", "not wasm".getBytes(StandardCharsets.UTF_8), ADMIN)
                .statusCode())
        .isEqualTo(400);
    call("GET", "/v1/types", "/v1/types", null, ADMIN);
    call("GET", deploy, "/v1/types/probe", null, ADMIN);
    assertThat(call("GET", deploy, "/v1/types/nope", null, ADMIN).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", deploy, "/v1/types/never", null, ADMIN).statusCode()).isEqualTo(204);

    // actors
    String tell = "/v1/actors/{type}/{id}";
    String ask = "/v1/actors/{type}/{id}/ask";
    assertThat(call("POST", tell, "/v1/actors/probe/a", bytes("put:k=v"), CLIENT).statusCode())
        .isEqualTo(202);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        text(call("POST", ask, "/v1/actors/probe/a/ask", bytes("get:k"), CLIENT)))
                    .isEqualTo("v"));
    assertThat(
            call("POST", ask, "/v1/actors/probe/t/ask?timeout=100ms", bytes("handle:h"), CLIENT)
                .statusCode())
        .isEqualTo(504);
    assertThat(call("POST", ask, "/v1/actors/probe/t/ask", bytes("trap"), CLIENT).statusCode())
        .isEqualTo(422);
    assertThat(
            call("POST", ask, "/v1/actors/probe/t/ask?timeout=soon", bytes(""), CLIENT)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            call("POST", tell, "/v1/actors/probe/a", new byte[MAX_BODY + 1], CLIENT).statusCode())
        .isEqualTo(413);
    assertThat(call("POST", tell, "/v1/actors/nope/a", bytes("x"), CLIENT).statusCode())
        .isEqualTo(404);
    for (int i = 0; i < 2; i++) {
      assertThat(
              call("POST", tell, "/v1/actors/probe/i", bytes("inc:n"), CLIENT, "t-1").statusCode())
          .isEqualTo(202);
      assertThat(text(call("POST", ask, "/v1/actors/probe/i/ask", bytes("inc:m"), CLIENT, "a-1")))
          .isEqualTo("1");
    }
    assertThat(call("POST", tell, "/v1/actors/probe/i", bytes("inc:x"), CLIENT, "a-1").statusCode())
        .isEqualTo(422);
    assertThat(
            call("POST", ask, "/v1/actors/probe/i/ask", bytes("inc:x"), CLIENT, "t-1").statusCode())
        .isEqualTo(422);
    assertThat(call("POST", tell, "/v1/actors/probe/i", bytes("x"), CLIENT, "a b").statusCode())
        .isEqualTo(400);
    assertThat(call("POST", ask, "/v1/actors/probe/i/ask", bytes("x"), CLIENT, "a b").statusCode())
        .isEqualTo(400);
    call("GET", "/v1/actors/{type}/{id}/state", "/v1/actors/probe/a/state", null, ADMIN);
    assertThat(
            call("GET", "/v1/actors/{type}/{id}/state", "/v1/actors/probe/none/state", null, ADMIN)
                .statusCode())
        .isEqualTo(404);
    call("GET", "/v1/actors/{type}", "/v1/actors/probe?offset=0&limit=10", null, ADMIN);
    assertThat(
            call("GET", "/v1/actors/{type}", "/v1/actors/probe?limit=0", null, ADMIN).statusCode())
        .isEqualTo(400);

    // a full mailbox: the first message keeps the actor busy
    call("PUT", deploy, "/v1/types/busy?mailboxCapacity=1", probe, ADMIN);
    call("POST", tell, "/v1/actors/busy/b", bytes("loop"), CLIENT);
    await()
        .until(
            () ->
                call("POST", tell, "/v1/actors/busy/b", bytes("get:k"), CLIENT).statusCode()
                    == 429);

    // topics
    try (var events =
        new SseReader(new TestClient(server.url(), CLIENT), "/v1/topics/alerts/%23/events")) {
      events.awaitSubscribed();
      assertThat(events.status()).isEqualTo(200);
      assertThat(events.contentType()).startsWith("text/event-stream");
      called.add("GET /v1/topics/{filter}/events 200");
      assertThat(
              call("POST", "/v1/topics/{topic}", "/v1/topics/alerts/s-7", bytes("hot"), CLIENT)
                  .statusCode())
          .isEqualTo(202);
      String data = MAPPER.writeValueAsString(events.next());
      assertValid(schemaRef("#/components/schemas/PublicationEvent"), data, "a publication event");
    }

    // shared data
    String shared = "/v1/shared/{key}";
    assertThat(call("PUT", shared, "/v1/shared/models/v1", bytes("weights"), ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("DELETE", shared, "/v1/shared/models/v1", null, ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("DELETE", shared, "/v1/shared/models/v1", null, ADMIN).statusCode())
        .isEqualTo(404);

    // stats
    call("GET", "/v1/stats", "/v1/stats", null, ADMIN);
    assertThat(call("GET", "/v1/stats", "/v1/stats", null, CLIENT).statusCode()).isEqualTo(403);

    // cluster: this node is embedded; a member answers through its view
    assertThat(call("GET", "/v1/cluster", "/v1/cluster", null, ADMIN).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/cluster", "/v1/cluster", null, CLIENT).statusCode()).isEqualTo(403);
    var view =
        new ClusterView(
            "plant",
            "a",
            "127.0.0.1:5701",
            List.of(
                new ClusterView.Member("a", "127.0.0.1:5701", true, 136),
                new ClusterView.Member("b", "127.0.0.1:5702", false, 135)),
            271,
            1,
            3,
            0);
    MayflyHttpServer embedded = server;
    try (var member =
        MayflyHttpServer.builder()
            .node(Mayfly.builder().workers(1).build())
            .port(0)
            .adminToken(ADMIN)
            .clusterView(() -> view)
            .build()
            .start()) {
      server = member;
      JsonNode cluster =
          MAPPER.readTree(call("GET", "/v1/cluster", "/v1/cluster", null, ADMIN).body());
      assertThat(cluster.path("members").get(1).path("partitions").asInt()).isEqualTo(135);
    } finally {
      server = embedded;
    }

    // the turn recorder: switch a type and an actor on, read what is kept, replay a kept turn
    String recordType = "/v1/recordings/{type}";
    String recordActor = "/v1/recordings/{type}/{id}";
    String replay = "/v1/recordings/{type}/{id}/replay";
    assertThat(call("PUT", recordType, "/v1/recordings/probe", new byte[0], ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("PUT", recordType, "/v1/recordings/nope", new byte[0], ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(call("PUT", recordType, "/v1/recordings/Bad", new byte[0], ADMIN).statusCode())
        .isEqualTo(400);
    assertThat(call("DELETE", recordType, "/v1/recordings/probe?clear", null, ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("PUT", recordActor, "/v1/recordings/probe/r", new byte[0], ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("PUT", recordActor, "/v1/recordings/nope/r", new byte[0], ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(call("POST", ask, "/v1/actors/probe/r/ask", bytes("put:k=v"), CLIENT).statusCode())
        .isEqualTo(200);
    await()
        .until(
            () ->
                call("POST", replay, "/v1/recordings/probe/r/replay", null, ADMIN).statusCode()
                    == 200);
    byte[] counter = io.mayfly.testing.Checkout.guest("counter");
    assertThat(
            call("POST", replay, "/v1/recordings/probe/r/replay?turn=1", counter, ADMIN)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            call("POST", replay, "/v1/recordings/probe/r/replay?turn=9", null, ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(
            call("POST", replay, "/v1/recordings/probe/r/replay?turn=x", null, ADMIN).statusCode())
        .isEqualTo(400);
    assertThat(
            call("POST", replay, "/v1/recordings/probe/r/replay", bytes("not wasm"), ADMIN)
                .statusCode())
        .isEqualTo(400);
    JsonNode status =
        MAPPER.readTree(call("GET", "/v1/recordings", "/v1/recordings", null, ADMIN).body());
    assertThat(status.path("types").findValuesAsText("type")).contains("probe");
    assertThat(status.path("types").findValues("actors").toString()).contains("\"probe/r\"");
    JsonNode file =
        MAPPER.readTree(call("GET", recordActor, "/v1/recordings/probe/r", null, ADMIN).body());
    assertThat(file.path("modules")).hasSize(1);
    assertThat(
            call("GET", recordType, "/v1/recordings/probe?modules=false", null, ADMIN).statusCode())
        .isEqualTo(200);
    assertThat(call("GET", recordType, "/v1/recordings/nope", null, ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(call("GET", recordActor, "/v1/recordings/nope/r", null, ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(call("DELETE", recordActor, "/v1/recordings/probe/r", null, ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(call("GET", "/v1/recordings", "/v1/recordings", null, CLIENT).statusCode())
        .isEqualTo(403);
    // traces: every request above that sent into the actors started one
    var traces =
        MAPPER.readTree(call("GET", "/v1/traces", "/v1/traces?limit=5", null, ADMIN).body());
    assertThat(traces.path("traces")).hasSize(5);
    String traceId = traces.path("traces").get(0).path("traceId").asText();
    String oneTrace = "/v1/traces/{traceId}";
    assertThat(call("GET", oneTrace, "/v1/traces/" + traceId, null, ADMIN).statusCode())
        .isEqualTo(200);
    assertThat(
            call("GET", oneTrace, "/v1/traces/" + "0".repeat(31) + "1", null, ADMIN).statusCode())
        .isEqualTo(404);
    assertThat(call("GET", "/v1/traces", "/v1/traces?limit=0", null, ADMIN).statusCode())
        .isEqualTo(400);
    assertThat(call("GET", "/v1/traces", "/v1/traces", null, CLIENT).statusCode()).isEqualTo(403);

    assertThat(called.stream().map(c -> c.substring(0, c.lastIndexOf(' '))).distinct())
        .as("operations called")
        .containsExactlyInAnyOrderElementsOf(documentedOperations());
    for (String documented : documentedSuccesses()) {
      assertThat(called).as("documented successes seen").contains(documented);
    }
    assertThat(errorStatuses).contains(400, 401, 403, 404, 413, 422, 429, 503, 504);
  }

  @Test
  void whileTheServerClosesEveryRouteAnswersAsDocumented() throws Exception {
    byte[] probe = io.mayfly.testing.Checkout.guest("probe");
    assertThat(
            call("PUT", "/v1/types/{type}", "/v1/types/probe?turnTimeout=2s", probe, ADMIN)
                .statusCode())
        .isEqualTo(201);
    // A turn that runs until its deadline, and a message behind it, keep the node draining.
    String tell = "/v1/actors/{type}/{id}";
    assertThat(call("POST", tell, "/v1/actors/probe/busy", bytes("loop"), CLIENT).statusCode())
        .isEqualTo(202);
    assertThat(call("POST", tell, "/v1/actors/probe/busy", bytes("put:k=v"), CLIENT).statusCode())
        .isEqualTo(202);
    var closed = java.util.concurrent.CompletableFuture.runAsync(server::close);
    await().until(() -> call("GET", "/health", "/health", null, null).statusCode() == 503);

    Set<String> probes = Set.of("/health", "/livez", "/readyz");
    for (String operation : documentedOperations()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String template = operation.substring(operation.indexOf(' ') + 1);
      String path =
          template
              .replace("{type}", "probe")
              .replace("{id}", "a")
              .replace("{topic}", "t")
              .replace("{filter}", "t")
              .replace("{key}", "k")
              .replace("{traceId}", "0".repeat(31) + "1");
      byte[] body = method.equals("PUT") || method.equals("POST") ? bytes("x") : null;
      int status = call(method, template, path, body, ADMIN).statusCode();
      if (!probes.contains(template)) {
        assertThat(status).as(operation + " while the server closes").isEqualTo(503);
      }
    }
    closed.join();
  }

  @Test
  void theSchemasRefuseABodyThatDoesNotMatch() {
    Schema type = schemaRef("#/components/schemas/TypeDescription");
    assertThat(type.validate("{\"type\": \"probe\"}", InputFormat.JSON)).isNotEmpty();
    Schema readiness = schemaRef("#/components/schemas/Readiness");
    assertThat(readiness.validate("{\"status\": \"ready\", \"checks\": {}}", InputFormat.JSON))
        .as("the node check is required")
        .isNotEmpty();
    Schema duration = schemaRef("#/components/schemas/Duration");
    assertThat(duration.validate("\"PT10M\"", InputFormat.JSON)).isNotEmpty();
    assertThat(duration.validate("\"1h30m\"", InputFormat.JSON)).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every {@code METHOD /path} of the document. */
  private static List<String> documentedOperations() {
    var ops = new ArrayList<String>();
    model
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap().keySet().forEach(method -> ops.add(method + " " + path)));
    return ops;
  }

  /** Every {@code METHOD /path STATUS} of the document with a 2xx status. */
  private static List<String> documentedSuccesses() {
    var ops = new ArrayList<String>();
    model
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) ->
                            op.getResponses().keySet().stream()
                                .filter(s -> s.startsWith("2"))
                                .forEach(s -> ops.add(method + " " + path + " " + s))));
    return ops;
  }

  /**
   * Calls the server and checks the answer against the document: the status is documented for the
   * operation, the content type is the documented one, and a JSON body passes its schema.
   */
  private HttpResponse<byte[]> call(
      String method, String template, String path, byte[] body, String token) {
    return call(method, template, path, body, token, null);
  }

  /** The same, with an {@code Idempotency-Key} header unless {@code key} is null. */
  private HttpResponse<byte[]> call(
      String method, String template, String path, byte[] body, String token, String key) {
    TestClient client = new TestClient(server.url(), token);
    HttpRequest.Builder b = client.request(path);
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/octet-stream");
    }
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    HttpResponse<byte[]> r = client.send(b.build());
    int status = r.statusCode();
    called.add(method + " " + template + " " + status);
    if (status >= 400) {
      errorStatuses.add(status);
    }

    String where = method + " " + path + " -> " + status + " " + text(r);
    JsonNode operation =
        document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    assertThat(operation.isObject()).as("documented: " + method + " " + template).isTrue();
    JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
    assertThat(response.isObject()).as("status documented: " + where).isTrue();
    JsonNode content = response.path("content");
    if (content.isMissingNode()) {
      assertThat(r.body()).as("no body documented: " + where).isEmpty();
      return r;
    }
    String contentType =
        r.headers()
            .firstValue("Content-Type")
            .orElse("")
            .split(";")[0]
            .strip()
            .toLowerCase(Locale.ROOT);
    assertThat(content.has(contentType))
        .as("content type " + contentType + " documented: " + where)
        .isTrue();
    if (contentType.equals("application/json")) {
      JsonNode schema = content.path(contentType).path("schema");
      assertValid(schemaOf(schema), new String(r.body(), StandardCharsets.UTF_8), where);
    }
    return r;
  }

  /** A response may be a reference to a shared one. */
  private static JsonNode resolve(JsonNode node) {
    if (node.has("$ref")) {
      return document.at(node.path("$ref").asText().substring(1));
    }
    return node;
  }

  private static void assertValid(Schema schema, String json, String where) {
    List<Error> errors = schema.validate(json, InputFormat.JSON);
    assertThat(errors).as("schema errors of " + where).isEmpty();
  }

  private static Schema schemaRef(String ref) {
    return schemaOf(MAPPER.createObjectNode().put("$ref", ref));
  }

  /**
   * A JSON Schema 2020-12 of a schema of the document: the document's components go with it, so
   * that its {@code #/components/schemas/...} references resolve.
   */
  private static Schema schemaOf(JsonNode schema) {
    ObjectNode wrapper = MAPPER.createObjectNode();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.set("components", document.path("components"));
    wrapper.putArray("allOf").add(schema);
    return SCHEMAS.getSchema(wrapper.toString(), InputFormat.JSON);
  }
}
