package io.mayfly.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;

/**
 * Compiles actors written in WAT (the WebAssembly text format) to Wasm for tests and benchmarks,
 * with the boilerplate every actor needs: {@link #actor(String)} wraps a body in the ABI imports
 * and a minimal runtime, {@link #compile(String)} compiles a whole module. Compiled by Chicory's
 * wabt, in the JVM: no {@code wat2wasm} program needed.
 */
public final class Wat {
  private Wat() {}

  /** Imports every ABI function under its own name ($self, $state_get, ...). */
  public static final String IMPORTS =
      """
      (import "mayfly" "self" (func $self (result i64)))
      (import "mayfly" "sender" (func $sender (result i64)))
      (import "mayfly" "message_kind" (func $message_kind (result i32)))
      (import "mayfly" "correlation_id" (func $correlation_id (result i64)))
      (import "mayfly" "reply_status" (func $reply_status (result i32)))
      (import "mayfly" "topic" (func $topic (result i64)))
      (import "mayfly" "now_ms" (func $now_ms (result i64)))
      (import "mayfly" "log" (func $log (param i32 i32 i32)))
      (import "mayfly" "state_get" (func $state_get (param i32 i32) (result i64)))
      (import "mayfly" "state_put" (func $state_put (param i32 i32 i32 i32) (result i32)))
      (import "mayfly" "state_delete" (func $state_delete (param i32 i32) (result i32)))
      (import "mayfly" "state_clear" (func $state_clear))
      (import "mayfly" "state_ttl" (func $state_ttl (param i32 i32 i32 i64) (result i32)))
      (import "mayfly" "actor_ttl" (func $actor_ttl (param i32 i64) (result i32)))
      (import "mayfly" "send" (func $send (param i32 i32 i32 i32) (result i32)))
      (import "mayfly" "ask" (func $ask (param i32 i32 i32 i32 i64) (result i64)))
      (import "mayfly" "reply" (func $reply (param i32 i32) (result i32)))
      (import "mayfly" "reply_handle" (func $reply_handle (result i64)))
      (import "mayfly" "reply_to" (func $reply_to (param i32 i32 i32 i32) (result i32)))
      (import "mayfly" "publish" (func $publish (param i32 i32 i32 i32) (result i32)))
      (import "mayfly" "subscribe" (func $subscribe (param i32 i32) (result i32)))
      (import "mayfly" "unsubscribe" (func $unsubscribe (param i32 i32) (result i32)))
      (import "mayfly" "timer_set" (func $timer_set (param i64 i32 i32) (result i64)))
      (import "mayfly" "timer_cancel" (func $timer_cancel (param i64) (result i32)))
      (import "mayfly" "shared_get" (func $shared_get (param i32 i32) (result i64)))
      """;

  /**
   * Memory, version and a bump allocator from 4096 that never frees; plus helpers: $ptr and $len
   * unpack a packed result.
   */
  public static final String RUNTIME =
      """
      (memory (export "memory") 2)
      (global $heap (mut i32) (i32.const 4096))
      (func (export "mayfly_abi_version") (result i32) (i32.const 1))
      (func $alloc (export "mayfly_alloc") (param $n i32) (result i32)
        (local $p i32)
        (local.set $p (global.get $heap))
        (global.set $heap (i32.add (global.get $heap) (local.get $n)))
        (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
          (then (drop (memory.grow (i32.const 1)))))
        (local.get $p))
      (func $ptr (param $r i64) (result i32) (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))
      (func $len (param $r i64) (result i32) (i32.wrap_i64 (local.get $r)))
      """;

  /**
   * An actor module: {@link #IMPORTS}, {@link #RUNTIME}, then {@code body}.
   *
   * @param body data segments and functions, at least the exported {@code mayfly_handle}
   * @return the Wasm binary
   */
  public static byte[] actor(String body) {
    return compile("(module " + IMPORTS + RUNTIME + body + ")");
  }

  /**
   * Compiles a whole module.
   *
   * @param wat the module's text, {@code (module ...)}
   * @return the Wasm binary
   * @throws RuntimeException from wabt, naming the line, when the text is not a valid module
   */
  public static byte[] compile(String wat) {
    return Wat2Wasm.parse(wat);
  }
}
