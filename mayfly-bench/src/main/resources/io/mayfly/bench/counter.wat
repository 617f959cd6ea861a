;; The trivial actor of the runtime benchmarks: an 8-byte little-endian counter under key "n".
;; Every message: state_get("n"), add 1, state_put("n", 8 bytes). The payload is ignored.
;; A bump arena from 1024 is emptied when the turn ends (the payload is allocated before the
;; handler runs, state_get's result during it).
(module
  (import "mayfly" "state_get" (func $get (param i32 i32) (result i64)))
  (import "mayfly" "state_put" (func $put (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 0) "n")
  (func (export "mayfly_abi_version") (result i32) (i32.const 1))
  (func (export "mayfly_alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (func (export "mayfly_handle") (param i32 i32) (result i32)
    (local $r i64) (local $n i64)
    (local.set $r (call $get (i32.const 0) (i32.const 1)))
    ;; -1: absent (a fresh actor), 0: empty value; otherwise (ptr << 32) | len
    (if (i64.gt_s (local.get $r) (i64.const 0))
      (then (local.set $n (i64.load (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32)))))))
    (i64.store (i32.const 16) (i64.add (local.get $n) (i64.const 1)))
    (global.set $heap (i32.const 1024))
    ;; 0, or -3 TOO_LARGE, which fails the turn
    (call $put (i32.const 0) (i32.const 1) (i32.const 16) (i32.const 8))))
