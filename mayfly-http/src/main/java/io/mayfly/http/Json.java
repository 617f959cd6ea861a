package io.mayfly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Durations;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.runtime.TypeSubscription;
import io.mayfly.wasm.ModuleInfo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/** JSON bodies of the API: how types, state and errors look on the wire. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Sends a JSON body with the status already set on the response. */
  static void send(ServerResponse res, JsonNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serializes; this would be a bug in Jackson.
      throw new IllegalStateException("cannot write JSON", e);
    }
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    res.send(bytes);
  }

  /** A deployed type: version, module digest, exports, imports and configuration. */
  static ObjectNode type(TypeInfo info) {
    ModuleInfo m = info.module();
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", info.type());
    node.put("version", info.version());
    node.put("sha256", m.sha256());
    node.put("sizeBytes", m.sizeBytes());
    node.put("functionCount", m.functionCount());
    node.put("engine", m.engine().name().toLowerCase(Locale.ROOT));
    node.put("hasExpiryHandler", m.hasExpiryHandler());
    strings(node.putArray("exports"), m.exports());
    strings(node.putArray("imports"), m.imports());
    node.set("config", config(info.config()));
    return node;
  }

  private static ObjectNode config(TypeConfig c) {
    ObjectNode node = MAPPER.createObjectNode();
    ObjectNode ttl = node.putObject("ttl");
    ttl.put("policy", TypeOptions.policyName(c.ttl().policy()));
    ttl.put("durationMs", c.ttl().duration().toMillis());
    if (c.ttl().policy() != TtlPolicy.NEVER) {
      ttl.put("duration", Durations.format(c.ttl().duration()));
    }
    node.put("mailboxCapacity", c.mailboxCapacity());
    node.put("turnTimeoutMs", c.turnTimeout().toMillis());
    node.put("turnTimeout", Durations.format(c.turnTimeout()));
    node.put("askTimeoutMs", c.askTimeout().toMillis());
    node.put("askTimeout", Durations.format(c.askTimeout()));
    node.put("maxMessageBytes", c.maxMessageBytes());
    node.put("maxStateBytes", c.maxStateBytes());
    node.put("maxMemoryPages", c.maxMemoryPages());
    node.put("maxEffectsPerTurn", c.maxEffectsPerTurn());
    ArrayNode subs = node.putArray("subscriptions");
    for (TypeSubscription s : c.subscriptions()) {
      subs.addObject().put("filter", s.filter()).put("idTemplate", s.idTemplate());
    }
    return node;
  }

  /**
   * An actor's state: each entry as base64, plus {@code utf8} when the bytes are printable text,
   * and the remaining TTLs in milliseconds and as a duration of {@link Durations} to the
   * millisecond ({@code null} for never).
   */
  static ObjectNode snapshot(ActorSnapshot s) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("address", s.address().toString());
    durationFields(node, "remainingTtl", s.remainingTtl());
    node.put("pendingTimers", s.pendingTimers());
    strings(node.putArray("subscriptions"), new TreeSet<>(s.subscriptions()));
    ObjectNode entries = node.putObject("entries");
    for (var e : new TreeMap<>(s.entries()).entrySet()) {
      ObjectNode entry = entries.putObject(e.getKey());
      byte[] value = e.getValue().value();
      entry.put("base64", Base64.getEncoder().encodeToString(value));
      String text = printableUtf8(value);
      if (text != null) {
        entry.put("utf8", text);
      }
      durationFields(entry, "remainingTtl", e.getValue().remainingTtl());
    }
    return node;
  }

  /** {@code fieldMs} in milliseconds and {@code field} as text, both null for never. */
  private static void durationFields(ObjectNode node, String field, Duration d) {
    if (d == null) {
      node.putNull(field + "Ms");
      node.putNull(field);
    } else {
      node.put(field + "Ms", d.toMillis());
      node.put(field, Durations.format(d.truncatedTo(ChronoUnit.MILLIS)));
    }
  }

  private static void strings(ArrayNode array, Iterable<String> values) {
    values.forEach(array::add);
  }

  /** The text if the bytes are valid UTF-8 without control characters (other than tab/newline). */
  static String printableUtf8(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        return null;
      }
    }
    return text;
  }
}
