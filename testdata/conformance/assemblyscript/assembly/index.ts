// The conformance actor (testdata/conformance/SPEC.md) on the AssemblyScript SDK.
import * as mayfly from "../../../../sdk/assemblyscript/assembly/index";
import { Kind, Level, TtlPolicy, state } from "../../../../sdk/assemblyscript/assembly/index";
export { mayfly_abi_version, mayfly_alloc } from "../../../../sdk/assemblyscript/assembly/index";

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function le64(v: i64): Uint8Array {
  const out = new Uint8Array(8);
  store<i64>(out.dataStart, v);
  return out;
}

function le32(v: u32): Uint8Array {
  const out = new Uint8Array(4);
  store<u32>(out.dataStart, v);
  return out;
}

function readI64(b: Uint8Array): i64 {
  return load<i64>(b.dataStart);
}

function getN(): u32 {
  const v = state.get("n");
  if (v == null || v.length < 4) return 0;
  return load<u32>(v.dataStart);
}

function putN(n: u32): void {
  state.put("n", le32(n));
}

function byKind(kind: Kind, payload: Uint8Array): void {
  if (kind == Kind.Reply) {
    const head = new Uint8Array(1);
    head[0] = <u8>mayfly.replyStatus();
    state.put("reply", concat(concat(head, le64(mayfly.correlationId())), payload));
  } else if (kind == Kind.Timer) {
    state.put("fired", concat(le64(mayfly.correlationId()), payload));
  } else {
    const t = mayfly.topic();
    state.put("pub", concat(utf8((t == null ? "" : t) + " "), payload));
  }
}

function info(kind: Kind): void {
  const head = new Uint8Array(1);
  head[0] = <u8>kind;
  const from = mayfly.sender();
  const text = mayfly.selfAddress() + " " + (from == null ? "-" : from);
  const v = concat(concat(head, le64(mayfly.nowMs())), utf8(text));
  state.put("info", v);
  if (kind == Kind.Ask) mayfly.reply(v);
}

function errorProbe(): void {
  const r = new Uint8Array(16);
  r[0] = <u8>mayfly.send("bad", "");
  r[1] = <u8>mayfly.sys.actor_ttl(9, 1);
  r[2] = <u8>mayfly.actorTtl(TtlPolicy.AfterWrite, -5);
  r[3] = <u8>state.setTtl("nokey", TtlPolicy.AfterWrite, 10);
  state.get("nokey");
  r[4] = <u8>mayfly.lastError();
  r[5] = <u8>state.remove("nokey");
  r[6] = <u8>mayfly.timerCancel(12345);
  r[7] = <u8>mayfly.unsubscribe("never/x");
  r[8] = <u8>mayfly.reply("x");
  mayfly.replyHandle();
  r[9] = <u8>mayfly.lastError();
  r[10] = <u8>mayfly.replyTo("xx", "");
  mayfly.topic();
  r[11] = <u8>mayfly.lastError();
  r[12] = <u8>mayfly.correlationId();
  r[13] = <u8>mayfly.replyStatus();
  r[14] = <u8>mayfly.publish("bad topic", "");
  state.get("");
  r[15] = <u8>mayfly.lastError();
  state.put("probe", r);
}

function onMessage(payload: Uint8Array): i32 {
  const kind = mayfly.messageKind();
  if (kind != Kind.Tell && kind != Kind.Ask) {
    byKind(kind, payload);
    return 0;
  }
  if (payload.length == 0) return 1;
  const cmd = payload[0];
  const arg = payload.subarray(1);
  switch (cmd) {
    case 0x45: // E
      if (kind == Kind.Ask) mayfly.reply(payload);
      return 0;
    case 0x43: // C
      if (kind == Kind.Ask) mayfly.reply(le32(getN()));
      else putN(getN() + 1);
      return 0;
    case 0x41: // A
      if (arg.length < 8) return 1;
      mayfly.actorTtl(TtlPolicy.AfterWrite, readI64(arg));
      return 0;
    case 0x4b: { // K
      if (arg.length < 8) return 1;
      const key = arg.subarray(8);
      state.put(key, "v");
      state.setTtl(key, TtlPolicy.AfterWrite, readI64(arg));
      return 0;
    }
    case 0x51: // Q
      state.put("corr", le64(mayfly.ask(String.UTF8.decode(arg.slice().buffer), "Eping", 1000)));
      return 0;
    case 0x53: // S
      mayfly.subscribe(String.UTF8.decode(arg.slice().buffer));
      return 0;
    case 0x55: // U
      mayfly.unsubscribe(String.UTF8.decode(arg.slice().buffer));
      return 0;
    case 0x50: // P
      mayfly.publish(String.UTF8.decode(arg.slice().buffer), "hi");
      return 0;
    case 0x4d: // M
      if (arg.length < 8) return 1;
      state.put("timer", le64(mayfly.timerSet(readI64(arg), arg.subarray(8))));
      return 0;
    case 0x58: { // X
      const t = state.get("timer");
      const id: i64 = t != null && t.length == 8 ? readI64(t) : 0;
      const rc = new Uint8Array(1);
      rc[0] = <u8>mayfly.timerCancel(id);
      state.put("cancelled", rc);
      return 0;
    }
    case 0x21: // !
      putN(getN() + 1);
      unreachable();
      return 0;
    case 0x46: // F
      putN(getN() + 1);
      return 42;
    case 0x47: { // G
      const v = mayfly.sharedGet(arg);
      if (v == null) return 44;
      mayfly.reply(v);
      return 0;
    }
    case 0x49: // I
      info(kind);
      return 0;
    case 0x48: { // H
      const h = mayfly.replyHandle();
      if (h == null) return 45;
      state.put("h", h);
      return 0;
    }
    case 0x52: { // R
      const h = state.get("h");
      if (h == null) return 45;
      mayfly.replyTo(h, arg);
      state.remove("h");
      return 0;
    }
    case 0x4c: // L
      mayfly.log(Level.Info, arg);
      return 0;
    case 0x44: // D
      state.remove(arg);
      return 0;
    case 0x5a: // Z
      state.clear();
      return 0;
    case 0x59: // Y
      errorProbe();
      return 0;
  }
  return 1;
}

function onExpire(): i32 {
  mayfly.publish("expired/" + mayfly.selfId(), le32(getN()));
  return 0;
}

export function mayfly_handle(ptr: usize, len: usize): i32 {
  return mayfly.handle(ptr, len, onMessage);
}

export function mayfly_on_expire(): i32 {
  return mayfly.onExpire(onExpire);
}
