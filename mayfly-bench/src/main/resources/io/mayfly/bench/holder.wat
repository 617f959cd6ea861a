;; The actor of the footprint probe: stores each message's payload under key "p" (replacing the
;; previous value). Sent one 100-byte message, an actor holds 101 bytes of state (key + value).
(module
  (import "mayfly" "state_put" (func $put (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 0) "p")
  (func (export "mayfly_abi_version") (result i32) (i32.const 1))
  (func (export "mayfly_alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (func (export "mayfly_handle") (param $ptr i32) (param $len i32) (result i32)
    (local $rc i32)
    (local.set $rc (call $put (i32.const 0) (i32.const 1) (local.get $ptr) (local.get $len)))
    (global.set $heap (i32.const 1024))
    (local.get $rc)))
