package io.mayfly.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.FailureReason;
import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.RequestRef;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.runtime.TypeSubscription;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateEntry;
import io.mayfly.wasm.ModuleInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of recorded turns, version {@value #VERSION}, as docs/recordings.md describes it:
 * bytes in base64, times as 64-bit integers of nanoseconds on the node clock, names of kinds and
 * policies in lower case. Reading rejects what does not fit with a {@link TestKitException} naming
 * the field.
 */
final class RecordingCodec {
  static final String FORMAT = "mayfly-recording";
  static final int VERSION = 1;
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private RecordingCodec() {}

  // ---- writing ----------------------------------------------------------------------------

  static ObjectNode document(List<TurnRecord> turns, Map<String, byte[]> modules) {
    ObjectNode doc = F.objectNode();
    doc.put("format", FORMAT);
    doc.put("version", VERSION);
    ObjectNode mods = doc.putObject("modules");
    new TreeMap<>(modules).forEach((sha, bytes) -> mods.put(sha, B64.encodeToString(bytes)));
    ArrayNode list = doc.putArray("turns");
    turns.forEach(t -> list.add(turn(t)));
    return doc;
  }

  static ObjectNode turn(TurnRecord r) {
    ObjectNode n = F.objectNode();
    n.put("address", r.address().toString());
    n.set("type", type(r.type()));
    n.put("nowNanos", r.nowNanos());
    n.set("message", message(r.message()));
    n.set("before", state(r.before()));
    n.set("after", state(r.after()));
    ObjectNode answers = n.putObject("answers");
    ArrayNode ids = answers.putArray("ids");
    r.answers().ids().forEach(ids::add);
    ObjectNode shared = answers.putObject("sharedData");
    r.answers().sharedData().forEach((k, v) -> shared.put(k, v == null ? null : b64(v)));
    answers.put("randomSeed", r.answers().randomSeed());
    ArrayNode effects = n.putArray("effects");
    r.effects().forEach(e -> effects.add(effect(e)));
    if (r.failure() == null) {
      n.putNull("failure");
    } else {
      n.putObject("failure")
          .put("reason", r.failure().reason().code())
          .put("message", r.failure().message());
    }
    return n;
  }

  private static String b64(byte[] b) {
    return B64.encodeToString(b);
  }

  private static ObjectNode type(TypeInfo t) {
    ObjectNode n = F.objectNode();
    n.put("name", t.type());
    n.put("version", t.version());
    ModuleInfo m = t.module();
    n.put("sha256", m.sha256());
    n.put("moduleBytes", m.sizeBytes());
    n.put("expiryHandler", m.hasExpiryHandler());
    TypeConfig c = t.config();
    ObjectNode cfg = n.putObject("config");
    cfg.set("ttl", ttl(c.ttl()));
    cfg.put("mailboxCapacity", c.mailboxCapacity());
    cfg.put("turnTimeoutMillis", c.turnTimeout().toMillis());
    cfg.put("askTimeoutMillis", c.askTimeout().toMillis());
    cfg.put("maxMessageBytes", c.maxMessageBytes());
    cfg.put("maxStateBytes", c.maxStateBytes());
    cfg.put("maxMemoryPages", c.maxMemoryPages());
    cfg.put("maxEffectsPerTurn", c.maxEffectsPerTurn());
    ArrayNode subs = cfg.putArray("subscriptions");
    for (TypeSubscription s : c.subscriptions()) {
      subs.addObject().put("filter", s.filter()).put("idTemplate", s.idTemplate());
    }
    return n;
  }

  private static JsonNode ttl(Ttl ttl) {
    if (ttl == null) {
      return F.nullNode();
    }
    ObjectNode n = F.objectNode().put("policy", lower(ttl.policy()));
    if (ttl.duration() != null) {
      n.put("millis", ttl.duration().toMillis());
    }
    return n;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static ObjectNode message(Message m) {
    ObjectNode n = F.objectNode();
    n.put("kind", lower(m.kind()));
    n.put("target", m.target().toString());
    n.put("payload", b64(m.payload()));
    if (m.sender() != null) {
      n.put("sender", m.sender().toString());
    }
    switch (m) {
      case Message.Ask a -> n.set("request", request(a.request()));
      case Message.ConfirmedTell t -> {} // replayed as the tell its actor saw
      case Message.Reply r -> {
        n.put("correlationId", r.correlationId());
        n.put("replyStatus", lower(r.replyStatus()));
      }
      case Message.Timer t -> n.put("timerId", t.timerId());
      case Message.Publication p -> n.put("topic", p.topic());
      case Message.Tell t -> {}
      case Message.Expire e -> {}
    }
    return n;
  }

  private static ObjectNode request(RequestRef r) {
    return F.objectNode().put("node", r.node()).put("id", r.id());
  }

  static JsonNode state(ActorState s) {
    if (s == null) {
      return F.nullNode();
    }
    ObjectNode n = F.objectNode();
    ObjectNode entries = n.putObject("entries");
    new TreeMap<>(s.entries())
        .forEach(
            (k, e) ->
                entries
                    .putObject(k)
                    .put("value", b64(e.value()))
                    .put("policy", lower(e.policy()))
                    .put("ttlNanos", e.ttlNanos())
                    .put("expiresAtNanos", e.expiresAtNanos()));
    n.set("ttl", ttl(s.ttlOverride()));
    n.put("expiresAtNanos", s.expiresAtNanos());
    ArrayNode timers = n.putArray("timers");
    new TreeMap<>(s.timers())
        .values()
        .forEach(
            t ->
                timers
                    .addObject()
                    .put("id", t.id())
                    .put("dueNanos", t.dueNanos())
                    .put("payload", b64(t.payload())));
    ArrayNode subs = n.putArray("subscriptions");
    s.subscriptions().stream().sorted().forEach(subs::add);
    return n;
  }

  static ObjectNode effect(Effect e) {
    ObjectNode n = F.objectNode();
    switch (e) {
      case Effect.Send s ->
          n.put("kind", "send").put("to", s.to().toString()).put("payload", b64(s.payload()));
      case Effect.Ask a ->
          n.put("kind", "ask")
              .put("to", a.to().toString())
              .put("payload", b64(a.payload()))
              .put("correlationId", a.correlationId())
              .put("timeoutMillis", a.timeout() == null ? -1 : a.timeout().toMillis());
      case Effect.Reply r -> {
        n.put("kind", "reply").set("request", request(r.request()));
        n.put("payload", b64(r.payload()));
      }
      case Effect.Publish p ->
          n.put("kind", "publish").put("topic", p.topic()).put("payload", b64(p.payload()));
      case Effect.SetTimer t ->
          n.put("kind", "set_timer")
              .put("timerId", t.timerId())
              .put("delayMillis", t.delay().toMillis())
              .put("dueNanos", t.dueNanos())
              .put("payload", b64(t.payload()));
      case Effect.CancelTimer c -> n.put("kind", "cancel_timer").put("timerId", c.timerId());
      case Effect.Subscribe s -> n.put("kind", "subscribe").put("filter", s.filter());
      case Effect.Unsubscribe u -> n.put("kind", "unsubscribe").put("filter", u.filter());
      case Effect.Log l -> n.put("kind", "log").put("level", l.level()).put("text", l.text());
    }
    return n;
  }

  // ---- reading ----------------------------------------------------------------------------

  static List<TurnRecord> turns(JsonNode doc, Map<String, byte[]> modules) {
    if (!doc.isObject() || !FORMAT.equals(doc.path("format").asText())) {
      throw bad("the file is not a Mayfly recording: its \"format\" is not \"" + FORMAT + "\"");
    }
    int version = doc.path("version").asInt(-1);
    if (version != VERSION) {
      throw bad(
          "recording format version " + version + " is not supported (this reads " + VERSION + ")");
    }
    doc.path("modules")
        .properties()
        .forEach(e -> modules.put(e.getKey(), bytes(e.getValue(), "modules." + e.getKey())));
    JsonNode list = doc.path("turns");
    if (!list.isArray()) {
      throw bad("\"turns\" must be an array");
    }
    var out = new ArrayList<TurnRecord>();
    for (int i = 0; i < list.size(); i++) {
      String where = "turns[" + i + "]";
      try {
        out.add(readTurn(list.get(i), where));
      } catch (InvalidAddressException | IllegalArgumentException | ClassCastException e) {
        throw bad(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static TestKitException bad(String message) {
    return new TestKitException("invalid recording: " + message);
  }

  private static JsonNode field(JsonNode n, String name, String where) {
    JsonNode v = n.get(name);
    if (v == null || v.isMissingNode()) {
      throw bad(where + ": missing \"" + name + "\"");
    }
    return v;
  }

  private static long num(JsonNode n, String name, String where) {
    JsonNode v = field(n, name, where);
    if (!v.isIntegralNumber()) {
      throw bad(where + "." + name + " must be an integer, was " + v);
    }
    return v.asLong();
  }

  private static String text(JsonNode n, String name, String where) {
    JsonNode v = field(n, name, where);
    if (!v.isTextual()) {
      throw bad(where + "." + name + " must be a string, was " + v);
    }
    return v.asText();
  }

  private static byte[] bytes(JsonNode v, String where) {
    if (!v.isTextual()) {
      throw bad(where + " must be base64 text, was " + v);
    }
    try {
      return Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw bad(where + " is not valid base64: " + e.getMessage());
    }
  }

  private static byte[] bytes(JsonNode n, String name, String where) {
    return bytes(field(n, name, where), where + "." + name);
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String text, String where) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(where + ": unknown value \"" + text + "\"");
    }
  }

  private static TurnRecord readTurn(JsonNode n, String where) {
    TypeInfo type = readType(field(n, "type", where), where + ".type");
    Message message = readMessage(field(n, "message", where), where + ".message");
    JsonNode a = field(n, "answers", where);
    var ids = new ArrayList<Long>();
    field(a, "ids", where + ".answers").forEach(id -> ids.add(id.asLong()));
    var shared = new LinkedHashMap<String, byte[]>();
    field(a, "sharedData", where + ".answers")
        .properties()
        .forEach(
            e ->
                shared.put(
                    e.getKey(),
                    e.getValue().isNull()
                        ? null
                        : bytes(e.getValue(), where + ".answers.sharedData")));
    var answers =
        new TurnRecord.HostAnswers(
            List.copyOf(ids), shared, num(a, "randomSeed", where + ".answers"));
    var effects = new ArrayList<Effect>();
    JsonNode list = field(n, "effects", where);
    for (int i = 0; i < list.size(); i++) {
      effects.add(readEffect(list.get(i), where + ".effects[" + i + "]"));
    }
    JsonNode f = n.path("failure");
    TurnRecord.Failure failure = null;
    if (f.isObject()) {
      FailureReason reason = FailureReason.ofCode(text(f, "reason", where + ".failure"));
      if (reason == null) {
        throw bad(where + ".failure.reason is not a failure reason: " + f.get("reason"));
      }
      failure = new TurnRecord.Failure(reason, f.path("message").asText(""));
    }
    return new TurnRecord(
        Address.parse(text(n, "address", where)),
        message,
        type,
        num(n, "nowNanos", where),
        readState(field(n, "before", where), where + ".before"),
        readState(field(n, "after", where), where + ".after"),
        answers,
        List.copyOf(effects),
        failure);
  }

  private static TypeInfo readType(JsonNode n, String where) {
    JsonNode c = field(n, "config", where);
    String w = where + ".config";
    TypeConfig.Builder b =
        TypeConfig.builder()
            .mailboxCapacity((int) num(c, "mailboxCapacity", w))
            .turnTimeout(Duration.ofMillis(num(c, "turnTimeoutMillis", w)))
            .askTimeout(Duration.ofMillis(num(c, "askTimeoutMillis", w)))
            .maxMessageBytes((int) num(c, "maxMessageBytes", w))
            .maxStateBytes((int) num(c, "maxStateBytes", w))
            .maxMemoryPages((int) num(c, "maxMemoryPages", w))
            .maxEffectsPerTurn((int) num(c, "maxEffectsPerTurn", w));
    Ttl ttl = readTtl(c.path("ttl"), w + ".ttl");
    if (ttl != null) {
      b.ttl(ttl);
    }
    for (JsonNode s : c.path("subscriptions")) {
      b.subscribe(text(s, "filter", w), text(s, "idTemplate", w));
    }
    var module =
        new ModuleInfo(
            text(n, "sha256", where),
            (int) n.path("moduleBytes").asLong(0),
            0,
            List.of(),
            List.of(),
            n.path("expiryHandler").asBoolean(false),
            ModuleInfo.Engine.COMPILED);
    return new TypeInfo(text(n, "name", where), (int) num(n, "version", where), module, b.build());
  }

  private static Ttl readTtl(JsonNode n, String where) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    TtlPolicy policy = constant(TtlPolicy.class, text(n, "policy", where), where + ".policy");
    return switch (policy) {
      case NEVER -> Ttl.never();
      case DEFAULT -> null;
      default -> new Ttl(policy, Duration.ofMillis(num(n, "millis", where)));
    };
  }

  private static Message readMessage(JsonNode n, String where) {
    MessageKind kind = constant(MessageKind.class, text(n, "kind", where), where + ".kind");
    Address target = Address.parse(text(n, "target", where));
    byte[] payload = bytes(n, "payload", where);
    Address sender = n.hasNonNull("sender") ? Address.parse(n.get("sender").asText()) : null;
    return switch (kind) {
      case TELL -> new Message.Tell(target, payload, sender);
      case ASK ->
          new Message.Ask(
              target, payload, sender, readRequest(field(n, "request", where), where + ".request"));
      case REPLY ->
          new Message.Reply(
              target,
              payload,
              sender,
              num(n, "correlationId", where),
              constant(ReplyStatus.class, text(n, "replyStatus", where), where + ".replyStatus"));
      case TIMER -> new Message.Timer(target, num(n, "timerId", where), payload);
      case PUBLICATION -> new Message.Publication(target, text(n, "topic", where), payload, sender);
      case EXPIRE -> new Message.Expire(target);
    };
  }

  private static RequestRef readRequest(JsonNode n, String where) {
    return new RequestRef(text(n, "node", where), num(n, "id", where));
  }

  private static ActorState readState(JsonNode n, String where) {
    if (n.isNull()) {
      return null;
    }
    var entries = new LinkedHashMap<String, StateEntry>();
    field(n, "entries", where)
        .properties()
        .forEach(
            e -> {
              String w = where + ".entries." + e.getKey();
              JsonNode v = e.getValue();
              entries.put(
                  e.getKey(),
                  new StateEntry(
                      bytes(v, "value", w),
                      constant(TtlPolicy.class, text(v, "policy", w), w + ".policy"),
                      num(v, "ttlNanos", w),
                      num(v, "expiresAtNanos", w)));
            });
    var timers = new LinkedHashMap<Long, PendingTimer>();
    for (JsonNode t : field(n, "timers", where)) {
      long id = num(t, "id", where + ".timers");
      timers.put(
          id,
          new PendingTimer(
              id, num(t, "dueNanos", where + ".timers"), bytes(t, "payload", where + ".timers")));
    }
    var subs = new LinkedHashSet<String>();
    field(n, "subscriptions", where).forEach(s -> subs.add(s.asText()));
    return ActorState.of(
        entries,
        readTtl(n.path("ttl"), where + ".ttl"),
        num(n, "expiresAtNanos", where),
        timers,
        subs);
  }

  private static Effect readEffect(JsonNode n, String where) {
    String kind = text(n, "kind", where);
    return switch (kind) {
      case "send" ->
          new Effect.Send(Address.parse(text(n, "to", where)), bytes(n, "payload", where));
      case "ask" -> {
        long millis = num(n, "timeoutMillis", where);
        yield new Effect.Ask(
            Address.parse(text(n, "to", where)),
            bytes(n, "payload", where),
            num(n, "correlationId", where),
            millis < 0 ? null : Duration.ofMillis(millis));
      }
      case "reply" ->
          new Effect.Reply(
              readRequest(field(n, "request", where), where + ".request"),
              bytes(n, "payload", where));
      case "publish" -> new Effect.Publish(text(n, "topic", where), bytes(n, "payload", where));
      case "set_timer" ->
          new Effect.SetTimer(
              num(n, "timerId", where),
              Duration.ofMillis(num(n, "delayMillis", where)),
              num(n, "dueNanos", where),
              bytes(n, "payload", where));
      case "cancel_timer" -> new Effect.CancelTimer(num(n, "timerId", where));
      case "subscribe" -> new Effect.Subscribe(text(n, "filter", where));
      case "unsubscribe" -> new Effect.Unsubscribe(text(n, "filter", where));
      case "log" -> new Effect.Log((int) num(n, "level", where), text(n, "text", where));
      default -> throw bad(where + ".kind: unknown effect \"" + kind + "\"");
    };
  }
}
