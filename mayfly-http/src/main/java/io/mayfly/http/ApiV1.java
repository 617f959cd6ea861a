package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.http.Access.Role;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Durations;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.InvalidIdempotencyKeyException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.runtime.Topics;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.runtime.UnknownActorTypeException;
import io.mayfly.runtime.spi.Placement;
import io.mayfly.wasm.MayflyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** The routes of API v1 and their handlers; docs/http-api.md describes them. */
final class ApiV1 {
  private static final System.Logger LOG = System.getLogger(ApiV1.class.getName());
  private static final io.helidon.http.HeaderName IDEMPOTENCY_KEY =
      HeaderNames.create("Idempotency-Key");
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 10_000;
  private static final String TOPICS_PREFIX = "/v1/topics/";
  private static final String EVENTS_SUFFIX = "/events";
  private static final String SHARED_PREFIX = "/v1/shared/";

  private final Mayfly node;
  private final Access access;
  private final int maxBodyBytes;
  private final int maxModuleBytes;
  private final TopicEvents events;
  private final OpsRoutes ops;
  private final AtomicBoolean closing;
  private final Supplier<List<String>> problems;
  private final HttpMetrics counters;
  private final StatsRoute stats;
  private final ClusterRoute cluster;

  /** Whether a tell without {@code confirm} waits for its turn: on a member of a cluster. */
  private final boolean confirmByDefault;

  ApiV1(
      Mayfly node,
      Access access,
      int maxBodyBytes,
      int maxModuleBytes,
      TopicEvents events,
      OpsRoutes ops,
      AtomicBoolean closing,
      Supplier<List<String>> problems,
      HttpMetrics counters,
      StatsRoute stats,
      ClusterRoute cluster) {
    this.node = node;
    this.confirmByDefault = node.config().placement() != Placement.local();
    this.cluster = cluster;
    this.stats = stats;
    this.counters = counters;
    this.problems = problems;
    this.access = access;
    this.maxBodyBytes = maxBodyBytes;
    this.maxModuleBytes = maxModuleBytes;
    this.events = events;
    this.ops = ops;
    this.closing = closing;
  }

  void register(HttpRouting.Builder r) {
    ops.register(r);
    new RecordingRoutes(node, req -> body(req, maxModuleBytes, "module"))
        .register(r, this::guarded);
    new TraceRoutes(node).register(r, this::guarded);
    cluster.register(r, this::guarded);
    new ConsoleRoutes().register(r);
    r.get("/health", this::health)
        .get("/metrics", guarded(Role.ADMIN, ops::metrics))
        .get("/v1/stats", guarded(Role.ADMIN, stats::handle))
        .get("/v1/types", guarded(Role.ADMIN, this::listTypes))
        .put("/v1/types/{type}", guarded(Role.ADMIN, this::deploy))
        .get("/v1/types/{type}", guarded(Role.ADMIN, this::getType))
        .delete("/v1/types/{type}", guarded(Role.ADMIN, this::undeploy))
        .get("/v1/actors/{type}", guarded(Role.ADMIN, this::listActors))
        .post("/v1/actors/{type}/{id}", guarded(Role.CLIENT, this::tell))
        .post("/v1/actors/{type}/{id}/ask", guarded(Role.CLIENT, this::ask))
        .get("/v1/actors/{type}/{id}/state", guarded(Role.ADMIN, this::state))
        // A topic has '/' in it: these routes take the rest of the path.
        .post(TOPICS_PREFIX + "*", guarded(Role.CLIENT, this::publish))
        .get(TOPICS_PREFIX + "*", guarded(Role.CLIENT, this::topicEvents))
        // A shared-data key may have '/' in it too.
        .put(SHARED_PREFIX + "*", guarded(Role.ADMIN, this::putShared))
        .delete(SHARED_PREFIX + "*", guarded(Role.ADMIN, this::removeShared))
        .any(ApiV1::noRoute)
        .error(MayflyException.class, (req, res, e) -> ErrorMapping.send(res, e))
        .error(Throwable.class, (req, res, e) -> ErrorMapping.sendUnexpected(res, e));
  }

  /** A handler that first checks the bearer token for a role. */
  Handler guarded(Role role, Handler handler) {
    return (req, res) -> {
      access.require(req, role);
      handler.handle(req, res);
    };
  }

  private static void noRoute(ServerRequest req, ServerResponse res) {
    throw new RequestRejectedException(
        RequestRejectedException.NOT_FOUND,
        "no route for "
            + req.prologue().method().text()
            + " "
            + req.path().path()
            + "; see docs/http-api.md");
  }

  /** 200 {@code up}; 503 {@code closing} during shutdown, or {@code down} naming what is gone. */
  private void health(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    List<String> broken = problems.get();
    if (closing.get()) {
      body.put("status", "closing");
    } else if (!broken.isEmpty()) {
      body.put("status", "down");
      ArrayNode list = body.putArray("problems");
      broken.forEach(list::add);
    } else {
      body.put("status", "up");
    }
    res.status(
        body.path("status").asText().equals("up") ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
    Json.send(res, body);
  }

  private void listTypes(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode types = body.putArray("types");
    node.types().forEach(t -> types.add(Json.type(t)));
    Json.send(res, body);
  }

  private void deploy(ServerRequest req, ServerResponse res) {
    String type = Address.checkType(req.path().pathParameters().get("type"));
    TypeConfig config = TypeOptions.deployConfig(req.query());
    byte[] module = body(req, maxModuleBytes, "module");
    if (module.length == 0) {
      throw new RequestRejectedException(
          RequestRejectedException.BAD_REQUEST,
          "the body must be the Wasm module (Content-Type: application/wasm)");
    }
    TypeInfo info = node.deploy(type, module, config);
    res.status(info.version() == 1 ? Status.CREATED_201 : Status.OK_200);
    res.header(HeaderValues.create(HeaderNames.LOCATION, "/v1/types/" + type));
    Json.send(res, Json.type(info));
  }

  private void getType(ServerRequest req, ServerResponse res) {
    String type = Address.checkType(req.path().pathParameters().get("type"));
    TypeInfo info = node.type(type).orElseThrow(() -> unknownType(type));
    Json.send(res, Json.type(info));
  }

  private void undeploy(ServerRequest req, ServerResponse res) {
    String type = Address.checkType(req.path().pathParameters().get("type"));
    if (!node.undeploy(type)) {
      throw unknownType(type);
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  private void listActors(ServerRequest req, ServerResponse res) {
    String type = Address.checkType(req.path().pathParameters().get("type"));
    int offset = intParam(req, "offset", 0);
    int limit = intParam(req, "limit", DEFAULT_PAGE);
    if (offset < 0) {
      throw new InvalidConfigException("offset must be 0 or more, was " + offset);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidConfigException("limit must be in 1.." + MAX_PAGE + ", was " + limit);
    }
    node.type(type).orElseThrow(() -> unknownType(type));
    List<Address> page = node.actors(type, offset, limit);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("type", type).put("offset", offset).put("limit", limit);
    ArrayNode ids = body.putArray("actors");
    page.forEach(a -> ids.add(a.id()));
    Json.send(res, body);
  }

  private void tell(ServerRequest req, ServerResponse res) {
    Address to = address(req);
    boolean confirm = confirm(req);
    Duration timeout = timeout(req);
    if (timeout != null && !confirm) {
      throw new InvalidConfigException(
          "timeout applies to a confirmed tell only; add confirm=true or leave timeout out");
    }
    String key = idempotencyKey(req);
    byte[] payload = body(req, maxBodyBytes, "message");
    if (!node.tracing().enabled()) {
      send(to, payload, key, confirm, timeout, null); // no span to open: nothing allocated
    } else {
      RequestSpan.traced(
          node,
          req,
          res,
          "/v1/actors/{type}/{id}",
          to,
          trace -> {
            send(to, payload, key, confirm, timeout, trace);
            return null;
          });
    }
    res.status(Status.ACCEPTED_202).send();
  }

  /** Tells; when confirming, waits until the turn committed and released its outputs. */
  private void send(
      Address to,
      byte[] payload,
      String key,
      boolean confirm,
      Duration timeout,
      TraceContext trace) {
    if (confirm) {
      await(node.tellConfirmed(to, payload, timeout, key, trace).toCompletableFuture());
    } else {
      node.tell(to, payload, key, trace);
    }
  }

  /**
   * Whether a tell answers once its turn is confirmed: the {@code confirm} query parameter, by
   * default true on a member of a cluster (whose 202 then promises what survives a member's loss)
   * and false on an embedded node (202 once queued).
   */
  private boolean confirm(ServerRequest req) {
    if (!req.query().contains("confirm")) {
      return confirmByDefault;
    }
    String value = req.query().first("confirm").orElse("");
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidConfigException("confirm must be true or false, was '" + value + "'");
    };
  }

  /** The {@code timeout} query parameter, positive, or {@code null} when absent. */
  private static Duration timeout(ServerRequest req) {
    Duration timeout =
        req.query().contains("timeout")
            ? TypeOptions.duration("timeout", req.query().first("timeout").orElse(""))
            : null;
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new InvalidConfigException(
          "timeout must be positive, was " + Durations.format(timeout));
    }
    return timeout;
  }

  private void ask(ServerRequest req, ServerResponse res) {
    Address to = address(req);
    Duration timeout = timeout(req);
    String key = idempotencyKey(req);
    byte[] payload = body(req, maxBodyBytes, "message");
    byte[] reply =
        !node.tracing().enabled()
            ? await(node.ask(to, payload, timeout, key).toCompletableFuture())
            : RequestSpan.traced(
                node,
                req,
                res,
                "/v1/actors/{type}/{id}/ask",
                to,
                trace -> await(node.ask(to, payload, timeout, key, trace).toCompletableFuture()));
    res.header(HeaderValues.CONTENT_TYPE_OCTET_STREAM);
    res.send(reply);
  }

  /**
   * The request's {@code Idempotency-Key} header, or {@code null}: a token ({@code abc-123}) or a
   * quoted string ({@code "abc-123"}, as structured fields write it); checked by the node.
   */
  private static String idempotencyKey(ServerRequest req) {
    List<String> values = req.headers().all(IDEMPOTENCY_KEY, List::of);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidIdempotencyKeyException(
          "the Idempotency-Key header must be given once, was given " + values.size() + " times");
    }
    String key = values.getFirst().strip();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    return Message.checkId(key);
  }

  private static <T> T await(CompletableFuture<T> reply) {
    try {
      return reply.get();
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof MayflyException m) {
        throw m;
      }
      throw new IllegalStateException("the request failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeClosedException("the request was interrupted: the server is stopping", e);
    }
  }

  private void state(ServerRequest req, ServerResponse res) {
    Address address = address(req);
    node.type(address.type()).orElseThrow(() -> unknownType(address.type()));
    var snapshot =
        node.state(address)
            .orElseThrow(
                () ->
                    new RequestRejectedException(
                        RequestRejectedException.NO_STATE,
                        "actor " + address + " has no state (never written, or expired)"));
    Json.send(res, Json.snapshot(snapshot));
  }

  private void publish(ServerRequest req, ServerResponse res) {
    String topic = Topics.checkTopic(topicPath(req));
    byte[] payload = body(req, maxBodyBytes, "publication");
    if (!node.tracing().enabled()) {
      node.publish(topic, payload);
    } else {
      RequestSpan.traced(
          node,
          req,
          res,
          "/v1/topics/{topic}",
          null,
          trace -> {
            node.publish(topic, payload, trace);
            return null;
          });
    }
    res.status(Status.ACCEPTED_202).send();
  }

  private void topicEvents(ServerRequest req, ServerResponse res) {
    String path = topicPath(req);
    if (!path.endsWith(EVENTS_SUFFIX) || path.length() == EVENTS_SUFFIX.length()) {
      noRoute(req, res);
    }
    String filter = Topics.checkFilter(path.substring(0, path.length() - EVENTS_SUFFIX.length()));
    events.stream(filter, res);
  }

  private void putShared(ServerRequest req, ServerResponse res) {
    String key = sharedKey(req);
    byte[] value = body(req, maxBodyBytes, "shared data");
    node.putSharedData(key, value);
    res.status(Status.NO_CONTENT_204).send();
  }

  private void removeShared(ServerRequest req, ServerResponse res) {
    String key = sharedKey(req);
    if (!node.removeSharedData(key)) {
      throw new RequestRejectedException(
          RequestRejectedException.NOT_FOUND, "no shared data under the key '" + key + "'");
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  /** The shared-data key: the part of the path after {@code /v1/shared/}, decoded and checked. */
  private static String sharedKey(ServerRequest req) {
    String path = req.path().path();
    String key = path.startsWith(SHARED_PREFIX) ? path.substring(SHARED_PREFIX.length()) : "";
    if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 256) {
      throw new InvalidConfigException(
          "a shared data key must be 1-256 bytes of UTF-8, was "
              + key.getBytes(StandardCharsets.UTF_8).length
              + " bytes");
    }
    return key;
  }

  /** The part of the path after {@code /v1/topics/}, decoded. */
  private static String topicPath(ServerRequest req) {
    String path = req.path().path();
    return path.startsWith(TOPICS_PREFIX) ? path.substring(TOPICS_PREFIX.length()) : "";
  }

  private static Address address(ServerRequest req) {
    var params = req.path().pathParameters();
    return Address.of(params.get("type"), params.get("id"));
  }

  private static UnknownActorTypeException unknownType(String type) {
    return new UnknownActorTypeException("actor type '" + type + "' is not deployed");
  }

  private static int intParam(ServerRequest req, String name, int defaultValue) {
    return req.query().contains(name)
        ? TypeOptions.integer(name, req.query().first(name).orElse(""))
        : defaultValue;
  }

  /**
   * Reads a body of at most {@code limit} bytes: a larger declared length is refused before
   * reading, a larger chunked body as soon as it passes the limit.
   */
  private byte[] body(ServerRequest req, int limit, String what) {
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw tooLarge(what, declared.getAsLong(), limit);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      if (declared.isPresent()) {
        // The framing delivers exactly the declared length: read that, without the large
        // buffers an open-ended read allocates for every request.
        return in.readNBytes((int) declared.getAsLong());
      }
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(what, bytes.length, limit);
      }
      return bytes;
    } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
      throw clientGone(req, what);
    }
  }

  /**
   * The client closed the connection before its whole body arrived: nobody is left to answer, so
   * this is one line in the log and a count, not an error with a stack trace.
   */
  private RuntimeException clientGone(ServerRequest req, String what) {
    counters.count(HttpMetrics.CLIENT_DISCONNECTS, "mid_body");
    LOG.log(
        System.Logger.Level.INFO,
        "client {0} went away in the middle of the {1} body of {2} {3}",
        req.remotePeer().address(),
        what,
        req.prologue().method().text(),
        req.path().path());
    return new RequestRejectedException(
        RequestRejectedException.BAD_REQUEST,
        "the connection closed before the whole " + what + " body arrived");
  }

  private static RequestRejectedException tooLarge(String what, long size, int limit) {
    String length = size > limit + 1L ? size + " bytes" : "larger than " + limit + " bytes";
    return new RequestRejectedException(
        RequestRejectedException.PAYLOAD_TOO_LARGE,
        "the " + what + " is " + length + "; this node accepts at most " + limit + " bytes");
  }
}
