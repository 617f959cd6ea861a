package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.http.Access.Role;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Recorder;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.UnknownActorTypeException;
import io.mayfly.testkit.Recording;
import io.mayfly.testkit.ReplayedTurn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The recorder's admin routes under {@code /v1/recordings}: switch recording of a type or an actor
 * on and off, list what is recorded, export kept turns as a recording file (docs/recordings.md),
 * and replay a kept turn on the node.
 */
final class RecordingRoutes {
  private final Mayfly node;
  private final Function<ServerRequest, byte[]> moduleBody;

  /**
   * @param moduleBody reads a request's body as a module, within the server's module size limit
   */
  RecordingRoutes(Mayfly node, Function<ServerRequest, byte[]> moduleBody) {
    this.node = node;
    this.moduleBody = moduleBody;
  }

  void register(HttpRouting.Builder r, BiFunction<Role, Handler, Handler> guarded) {
    r.get("/v1/recordings", guarded.apply(Role.ADMIN, this::status))
        .put("/v1/recordings/{type}", guarded.apply(Role.ADMIN, this::startType))
        .delete("/v1/recordings/{type}", guarded.apply(Role.ADMIN, this::stopType))
        .get("/v1/recordings/{type}", guarded.apply(Role.ADMIN, this::exportType))
        .put("/v1/recordings/{type}/{id}", guarded.apply(Role.ADMIN, this::startActor))
        .delete("/v1/recordings/{type}/{id}", guarded.apply(Role.ADMIN, this::stopActor))
        .get("/v1/recordings/{type}/{id}", guarded.apply(Role.ADMIN, this::exportActor))
        .post("/v1/recordings/{type}/{id}/replay", guarded.apply(Role.ADMIN, this::replay));
  }

  private static String type(ServerRequest req) {
    return Address.checkType(req.path().pathParameters().get("type"));
  }

  private static Address actor(ServerRequest req) {
    var params = req.path().pathParameters();
    return Address.of(params.get("type"), params.get("id"));
  }

  private void status(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode types = body.putArray("types");
    for (Recorder.Status s : node.recorder().status()) {
      ObjectNode t = types.addObject();
      t.put("type", s.type()).put("wholeType", s.wholeType());
      ArrayNode actors = t.putArray("actors");
      s.actors().stream().map(Address::toString).sorted().forEach(actors::add);
      t.put("turns", s.turns()).put("bytes", s.bytes()).put("dropped", s.dropped());
    }
    Json.send(res, body);
  }

  private void startType(ServerRequest req, ServerResponse res) {
    node.recorder().start(type(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void stopType(ServerRequest req, ServerResponse res) {
    String type = type(req);
    node.recorder().stop(type);
    if (req.query().contains("clear")) {
      node.recorder().clear(type);
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  private void startActor(ServerRequest req, ServerResponse res) {
    node.recorder().start(actor(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void stopActor(ServerRequest req, ServerResponse res) {
    node.recorder().stop(actor(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void exportType(ServerRequest req, ServerResponse res) {
    export(req, res, node.recorder().recorded(deployed(type(req))));
  }

  private void exportActor(ServerRequest req, ServerResponse res) {
    Address actor = actor(req);
    deployed(actor.type());
    export(req, res, node.recorder().recorded(actor));
  }

  /**
   * {@code POST /v1/recordings/{type}/{id}/replay[?turn=N]}: replays a kept turn of the actor (the
   * latest unless {@code turn}, 1 the oldest) in the test kit on this node, against the module in
   * the body or, with no body, the module that ran it; answers the comparison.
   */
  private void replay(ServerRequest req, ServerResponse res) {
    Address actor = actor(req);
    deployed(actor.type());
    Integer turn =
        req.query().contains("turn")
            ? TypeOptions.integer("turn", req.query().first("turn").orElse(""))
            : null;
    byte[] uploaded = moduleBody.apply(req);
    ReplayedTurn replayed =
        ReplayedTurn.of(
            node.recorder().recorded(actor),
            actor,
            turn,
            t -> uploaded.length > 0 ? uploaded : keptModule(t));
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    res.send(replayed.toJson());
  }

  private byte[] keptModule(TurnRecord t) {
    String sha = t.type().module().sha256();
    return node.recorder()
        .module(sha)
        .orElseThrow(
            () ->
                new RequestRejectedException(
                    RequestRejectedException.NOT_FOUND,
                    "the node no longer has the module that ran the turn (sha256 "
                        + sha
                        + "); send the module as the body"));
  }

  /** The type, if deployed: an undeployed type's recordings are gone. */
  private String deployed(String type) {
    if (node.type(type).isEmpty()) {
      throw new UnknownActorTypeException("actor type '" + type + "' is not deployed");
    }
    return type;
  }

  /** The kept turns as a recording file, with the modules they ran unless {@code modules=false}. */
  private void export(ServerRequest req, ServerResponse res, List<TurnRecord> turns) {
    boolean withModules = !"false".equals(req.query().first("modules").orElse("true"));
    var modules = new LinkedHashMap<String, byte[]>();
    if (withModules) {
      for (TurnRecord t : turns) {
        String sha = t.type().module().sha256();
        if (!modules.containsKey(sha)) {
          node.recorder().module(sha).ifPresent(m -> modules.put(sha, m));
        }
      }
    }
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    res.send(Recording.of(turns, modules).toJson());
  }
}
