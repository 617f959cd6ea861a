package io.mayfly.wasm;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The host functions of actor ABI v1 (namespace {@code mayfly}), as docs/abi.md lists them. */
enum AbiFunction {
  SELF("self", List.of(), List.of(I64)),
  SENDER("sender", List.of(), List.of(I64)),
  MESSAGE_KIND("message_kind", List.of(), List.of(I32)),
  CORRELATION_ID("correlation_id", List.of(), List.of(I64)),
  REPLY_STATUS("reply_status", List.of(), List.of(I32)),
  TOPIC("topic", List.of(), List.of(I64)),
  NOW_MS("now_ms", List.of(), List.of(I64)),
  LOG("log", List.of(I32, I32, I32), List.of()),
  STATE_GET("state_get", List.of(I32, I32), List.of(I64)),
  STATE_PUT("state_put", List.of(I32, I32, I32, I32), List.of(I32)),
  STATE_DELETE("state_delete", List.of(I32, I32), List.of(I32)),
  STATE_CLEAR("state_clear", List.of(), List.of()),
  STATE_TTL("state_ttl", List.of(I32, I32, I32, I64), List.of(I32)),
  ACTOR_TTL("actor_ttl", List.of(I32, I64), List.of(I32)),
  SEND("send", List.of(I32, I32, I32, I32), List.of(I32)),
  ASK("ask", List.of(I32, I32, I32, I32, I64), List.of(I64)),
  REPLY("reply", List.of(I32, I32), List.of(I32)),
  REPLY_HANDLE("reply_handle", List.of(), List.of(I64)),
  REPLY_TO("reply_to", List.of(I32, I32, I32, I32), List.of(I32)),
  PUBLISH("publish", List.of(I32, I32, I32, I32), List.of(I32)),
  SUBSCRIBE("subscribe", List.of(I32, I32), List.of(I32)),
  UNSUBSCRIBE("unsubscribe", List.of(I32, I32), List.of(I32)),
  TIMER_SET("timer_set", List.of(I64, I32, I32), List.of(I64)),
  TIMER_CANCEL("timer_cancel", List.of(I64), List.of(I32)),
  SHARED_GET("shared_get", List.of(I32, I32), List.of(I64));

  static final String NAMESPACE = "mayfly";
  private static final Map<String, AbiFunction> BY_NAME = new HashMap<>();

  static {
    for (AbiFunction f : values()) {
      BY_NAME.put(f.importName, f);
    }
  }

  final String importName;
  final FunctionType type;

  AbiFunction(String importName, List<ValType> params, List<ValType> results) {
    this.importName = importName;
    this.type = FunctionType.of(params, results);
  }

  static AbiFunction byName(String name) {
    return BY_NAME.get(name);
  }
}
