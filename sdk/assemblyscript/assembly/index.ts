// AssemblyScript SDK for Mayfly actors, ABI version 1 (docs/abi.md).
//
// Your entry file re-exports the two fixed exports and defines the handler:
//
//   import * as mayfly from "mayfly-sdk/assembly";
//   export { mayfly_abi_version, mayfly_alloc } from "mayfly-sdk/assembly";
//   export function mayfly_handle(ptr: usize, len: usize): i32 {
//     return mayfly.handle(ptr, len, (payload: Uint8Array): i32 => { ...; return 0; });
//   }
//
// Host functions that can fail return an i32 code (0 or more on success, a negative ErrorCode
// otherwise); the ones that return bytes return `Uint8Array | null` / `string | null` and leave
// the code in lastError(). AssemblyScript has no exceptions, so nothing here throws.
import * as sys from "./sys";
export { sys };

/** The ABI version this SDK implements. */
export const ABI_VERSION: i32 = 1;

/** The negative codes host functions return. */
export enum ErrorCode {
  Ok = 0,
  NotFound = -1,
  InvalidAddress = -2,
  TooLarge = -3,
  NoRequest = -4,
  LimitExceeded = -5,
  InvalidArgument = -6,
  Expired = -7,
  BadHandle = -8,
}

/** message_kind() */
export enum Kind {
  Tell = 0,
  Ask = 1,
  Reply = 2,
  Timer = 3,
  Publication = 4,
  Expire = 5,
}

/** reply_status() of a REPLY. */
export enum ReplyStatus {
  Ok = 0,
  Timeout = 1,
  Failed = 2,
  Undeliverable = 3,
}

/** TTL policies for actorTtl and state.setTtl. */
export enum TtlPolicy {
  Default = 0,
  AfterWrite = 1,
  AfterAccess = 2,
  AtDeadline = 3,
  Never = 4,
}

/** Log levels. */
export enum Level {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
}

// ---- memory: what the host writes, and when it is freed ----

/** Export `mayfly_abi_version` (re-export it from your entry file). */
export function mayfly_abi_version(): i32 {
  return ABI_VERSION;
}

/**
 * Export `mayfly_alloc` (re-export it from your entry file): an unmanaged block the host writes
 * into. The SDK copies every such block into a managed Uint8Array and frees it at once.
 */
export function mayfly_alloc(size: usize): usize {
  return heap.alloc(size);
}

let lastCode: i32 = 0;

/** The code of the last call that returned bytes or null (0 when it succeeded). */
export function lastError(): i32 {
  return lastCode;
}

/** Copies the host's block into a managed array and frees the block. */
function take(ptr: usize, len: usize): Uint8Array {
  const out = new Uint8Array(<i32>len);
  memory.copy(out.dataStart, ptr, len);
  heap.free(ptr);
  return out;
}

/** A packed i64 result as bytes; null for a negative code (kept in lastError()). */
function unpack(r: i64): Uint8Array | null {
  if (r < 0) {
    lastCode = <i32>r;
    return null;
  }
  lastCode = 0;
  if (r == 0) return new Uint8Array(0);
  return take(<usize>(<u64>r >>> 32), <usize>(<u32>r));
}

function unpackString(r: i64): string | null {
  const b = unpack(r);
  return b == null ? null : String.UTF8.decode(b.buffer);
}

/** Bytes of a string (UTF-8), Uint8Array or ArrayBuffer argument; null is empty. */
// @ts-ignore: decorator
@inline function bytesOf<T>(v: T): Uint8Array {
  if (isString<T>()) {
    return Uint8Array.wrap(String.UTF8.encode(changetype<string>(v)));
  } else if (isReference<T>() && idof<NonNullable<T>>() == idof<Uint8Array>()) {
    return changetype<usize>(v) == 0 ? new Uint8Array(0) : changetype<Uint8Array>(v);
  } else if (isReference<T>() && idof<NonNullable<T>>() == idof<ArrayBuffer>()) {
    return changetype<usize>(v) == 0
      ? new Uint8Array(0)
      : Uint8Array.wrap(changetype<ArrayBuffer>(v));
  } else {
    ERROR("expected a string, Uint8Array or ArrayBuffer");
    return unreachable();
  }
}

/**
 * Runs one turn: call it from your `mayfly_handle` export. The payload is copied into a managed
 * array and the host's block freed; `fn` returns 0 for success or an application error code.
 */
export function handle(ptr: usize, len: usize, fn: (payload: Uint8Array) => i32): i32 {
  const payload = take(ptr, len);
  const rc = fn(payload);
  endTurn();
  return rc;
}

/** Runs the expiry turn: call it from your optional `mayfly_on_expire` export. */
export function onExpire(fn: () => i32): i32 {
  const rc = fn();
  endTurn();
  return rc;
}

function endTurn(): void {
  // With --runtime minimal nothing collects on its own: collect once per turn, when no
  // managed reference is live on the stack.
  if (ASC_RUNTIME == 1) __collect();
}

// ---- the current message ----

/** This actor's address, `type/id`. */
export function selfAddress(): string {
  const s = unpackString(sys.self());
  return s == null ? "" : s;
}

/** The id part of this actor's address (after the first `/`). */
export function selfId(): string {
  const a = selfAddress();
  return a.substring(a.indexOf("/") + 1);
}

/** The sender's address; null when the message came from outside or from the runtime. */
export function sender(): string | null {
  return unpackString(sys.sender());
}

export function messageKind(): Kind {
  return <Kind>sys.message_kind();
}

/** REPLY: the id ask() returned; TIMER: the id timerSet() returned; otherwise 0. */
export function correlationId(): i64 {
  return sys.correlation_id();
}

export function replyStatus(): ReplyStatus {
  return <ReplyStatus>sys.reply_status();
}

/** The topic of a PUBLICATION; null otherwise. */
export function topic(): string | null {
  return unpackString(sys.topic());
}

/** The node clock in ms since the epoch, read once when the turn started. */
export function nowMs(): i64 {
  return sys.now_ms();
}

/** A log line (a string, or UTF-8 bytes), buffered with the turn. */
export function log<M>(level: Level, message: M): void {
  const m = bytesOf<M>(message);
  sys.log(level, m.dataStart, m.byteLength);
}

// ---- short-term state ----

/** The actor's state: keys (strings or UTF-8 bytes, 1 to 256 bytes) to bytes. */
export namespace state {
  /** The value, or null when absent (lastError() NotFound) or the key is invalid. */
  export function get<K>(key: K): Uint8Array | null {
    const k = bytesOf<K>(key);
    return unpack(sys.state_get(k.dataStart, k.byteLength));
  }

  /** 0, or TooLarge / InvalidArgument. */
  export function put<K, V>(key: K, value: V): i32 {
    const k = bytesOf<K>(key);
    const v = bytesOf<V>(value);
    return sys.state_put(k.dataStart, k.byteLength, v.dataStart, v.byteLength);
  }

  /** 1 if the key existed, 0 if not, or InvalidArgument. */
  export function remove<K>(key: K): i32 {
    const k = bytesOf<K>(key);
    return sys.state_delete(k.dataStart, k.byteLength);
  }

  export function clear(): void {
    sys.state_clear();
  }

  /** The key's own TTL; 0, NotFound, or InvalidArgument. */
  export function setTtl<K>(key: K, policy: TtlPolicy, ttlMs: i64): i32 {
    const k = bytesOf<K>(key);
    return sys.state_ttl(k.dataStart, k.byteLength, policy, ttlMs);
  }
}

/** Sets this actor's TTL (and restarts its clock); 0 or InvalidArgument. */
export function actorTtl(policy: TtlPolicy, ttlMs: i64): i32 {
  return sys.actor_ttl(policy, ttlMs);
}

// ---- talking to others ----

/** Tells `to` (`type/id`); 0, InvalidAddress, TooLarge, LimitExceeded. */
export function send<M>(to: string, message: M): i32 {
  const a = bytesOf<string>(to);
  const m = bytesOf<M>(message);
  return sys.send(a.dataStart, a.byteLength, m.dataStart, m.byteLength);
}

/** Asks `to`; the correlation id (> 0) of the REPLY to come, or a negative code. */
export function ask<M>(to: string, message: M, timeoutMs: i64 = 0): i64 {
  const a = bytesOf<string>(to);
  const m = bytesOf<M>(message);
  return sys.ask(a.dataStart, a.byteLength, m.dataStart, m.byteLength, timeoutMs);
}

/** Answers the ASK being handled; 0, TooLarge, NoRequest. */
export function reply<M>(message: M): i32 {
  const m = bytesOf<M>(message);
  return sys.reply(m.dataStart, m.byteLength);
}

/** Defers the answer: a handle to keep in state and use with replyTo; null (NoRequest). */
export function replyHandle(): Uint8Array | null {
  return unpack(sys.reply_handle());
}

/** Answers a deferred request; 0, TooLarge, Expired, BadHandle. */
export function replyTo<H, M>(handle: H, message: M): i32 {
  const h = bytesOf<H>(handle);
  const m = bytesOf<M>(message);
  return sys.reply_to(h.dataStart, h.byteLength, m.dataStart, m.byteLength);
}

/** Publishes on a topic; 0, TooLarge, LimitExceeded, InvalidArgument. */
export function publish<M>(topicName: string, message: M): i32 {
  const t = bytesOf<string>(topicName);
  const m = bytesOf<M>(message);
  return sys.publish(t.dataStart, t.byteLength, m.dataStart, m.byteLength);
}

/** Subscribes to a filter (`+`, `#`); 0 or InvalidArgument. */
export function subscribe(filter: string): i32 {
  const f = bytesOf<string>(filter);
  return sys.subscribe(f.dataStart, f.byteLength);
}

/** 1 if it was subscribed, 0 if not. */
export function unsubscribe(filter: string): i32 {
  const f = bytesOf<string>(filter);
  return sys.unsubscribe(f.dataStart, f.byteLength);
}

/** A TIMER message to itself after delayMs; the timer id (> 0) or a negative code. */
export function timerSet<M>(delayMs: i64, message: M): i64 {
  const m = bytesOf<M>(message);
  return sys.timer_set(delayMs, m.dataStart, m.byteLength);
}

/** 1 if cancelled, 0 if unknown or already fired. */
export function timerCancel(id: i64): i32 {
  return sys.timer_cancel(id);
}

// ---- read-only shared data ----

/** Data the operator shared under the key; null when absent. */
export function sharedGet<K>(key: K): Uint8Array | null {
  const k = bytesOf<K>(key);
  return unpack(sys.shared_get(k.dataStart, k.byteLength));
}
