;; The conformance actor in WAT, the reference implementation (testdata/conformance/SPEC.md).
(module
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

  (memory (export "memory") 2)
  ;; 0..1023: constants and scratch; the arena starts at 1024 and is emptied after every turn.
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 0) "n")
  (data (i32.const 8) "v")
  (data (i32.const 16) "corr")
  (data (i32.const 24) "reply")
  (data (i32.const 32) "pub")
  (data (i32.const 40) "timer")
  (data (i32.const 48) "cancelled")
  (data (i32.const 64) "fired")
  (data (i32.const 72) "info")
  (data (i32.const 80) "h")
  (data (i32.const 88) "probe")
  (data (i32.const 96) "Eping")
  (data (i32.const 104) "hi")
  (data (i32.const 112) "expired/")
  (data (i32.const 128) "bad")
  (data (i32.const 136) "nokey")
  (data (i32.const 144) "never/x")
  (data (i32.const 152) "x")
  (data (i32.const 160) "xx")
  (data (i32.const 168) "bad topic")
  (data (i32.const 184) " -")
  ;; scratch: 256 u32, 264..279 header bytes, 288..303 probe results

  (func (export "mayfly_abi_version") (result i32) (i32.const 1))

  (func $alloc (export "mayfly_alloc") (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $have i32)
    (local.set $p (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7))
                             (i32.const -8)))
    (if (i32.lt_u (local.get $end) (local.get $p)) (then (return (i32.const 0))))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have))
                                                     (i32.const 65535))
                                            (i32.const 16)))
                    (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (local.get $p))

  (func $ptr (param $r i64) (result i32) (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))
  (func $len (param $r i64) (result i32) (i32.wrap_i64 (local.get $r)))

  ;; a fresh arena buffer holding a ++ b
  (func $cat (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32)
    (local $q i32)
    (local.set $q (call $alloc (i32.add (local.get $al) (local.get $bl))))
    (if (i32.eqz (local.get $q)) (then unreachable))
    (memory.copy (local.get $q) (local.get $a) (local.get $al))
    (memory.copy (i32.add (local.get $q) (local.get $al)) (local.get $b) (local.get $bl))
    (local.get $q))

  (func $get_n (result i32)
    (local $r i64)
    (local.set $r (call $state_get (i32.const 0) (i32.const 1)))
    (if (i64.le_s (local.get $r) (i64.const 0)) (then (return (i32.const 0))))
    (if (i32.lt_u (call $len (local.get $r)) (i32.const 4)) (then (return (i32.const 0))))
    (i32.load (call $ptr (local.get $r))))

  (func $put_n (param $v i32)
    (i32.store (i32.const 256) (local.get $v))
    (drop (call $state_put (i32.const 0) (i32.const 1) (i32.const 256) (i32.const 4))))

  (func $put_i64 (param $k i32) (param $kl i32) (param $v i64)
    (i64.store (i32.const 264) (local.get $v))
    (drop (call $state_put (local.get $k) (local.get $kl) (i32.const 264) (i32.const 8))))

  (func $probe (param $i i32) (param $v i32)
    (i32.store8 (i32.add (i32.const 288) (local.get $i)) (local.get $v)))

  (func $by_kind (param $kind i32) (param $p i32) (param $l i32)
    (local $r i64) (local $q i32) (local $ql i32)
    (if (i32.eq (local.get $kind) (i32.const 2)) ;; REPLY
      (then
        (i32.store8 (i32.const 264) (call $reply_status))
        (i64.store (i32.const 265) (call $correlation_id))
        (local.set $q (call $cat (i32.const 264) (i32.const 9) (local.get $p) (local.get $l)))
        (drop (call $state_put (i32.const 24) (i32.const 5)
          (local.get $q) (i32.add (local.get $l) (i32.const 9))))
        (return)))
    (if (i32.eq (local.get $kind) (i32.const 3)) ;; TIMER
      (then
        (i64.store (i32.const 264) (call $correlation_id))
        (local.set $q (call $cat (i32.const 264) (i32.const 8) (local.get $p) (local.get $l)))
        (drop (call $state_put (i32.const 64) (i32.const 5)
          (local.get $q) (i32.add (local.get $l) (i32.const 8))))
        (return)))
    ;; PUBLICATION
    (local.set $r (call $topic))
    (local.set $ql (call $len (local.get $r)))
    (local.set $q (call $cat (call $ptr (local.get $r)) (local.get $ql) (i32.const 184) (i32.const 1)))
    (local.set $ql (i32.add (local.get $ql) (i32.const 1)))
    (local.set $q (call $cat (local.get $q) (local.get $ql) (local.get $p) (local.get $l)))
    (drop (call $state_put (i32.const 32) (i32.const 3)
      (local.get $q) (i32.add (local.get $ql) (local.get $l)))))

  (func $info (param $kind i32)
    (local $r i64) (local $q i32) (local $ql i32)
    (i32.store8 (i32.const 264) (local.get $kind))
    (i64.store (i32.const 265) (call $now_ms))
    (local.set $r (call $self))
    (local.set $q (call $cat (i32.const 264) (i32.const 9) (call $ptr (local.get $r)) (call $len (local.get $r))))
    (local.set $ql (i32.add (i32.const 9) (call $len (local.get $r))))
    (local.set $q (call $cat (local.get $q) (local.get $ql) (i32.const 184) (i32.const 1)))
    (local.set $ql (i32.add (local.get $ql) (i32.const 1)))
    (local.set $r (call $sender))
    (if (i64.lt_s (local.get $r) (i64.const 0))
      (then
        (local.set $q (call $cat (local.get $q) (local.get $ql) (i32.const 185) (i32.const 1)))
        (local.set $ql (i32.add (local.get $ql) (i32.const 1))))
      (else
        (local.set $q (call $cat (local.get $q) (local.get $ql) (call $ptr (local.get $r)) (call $len (local.get $r))))
        (local.set $ql (i32.add (local.get $ql) (call $len (local.get $r))))))
    (drop (call $state_put (i32.const 72) (i32.const 4) (local.get $q) (local.get $ql)))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then (drop (call $reply (local.get $q) (local.get $ql))))))

  (func $error_probe
    (call $probe (i32.const 0) (call $send (i32.const 128) (i32.const 3) (i32.const 0) (i32.const 0)))
    (call $probe (i32.const 1) (call $actor_ttl (i32.const 9) (i64.const 1)))
    (call $probe (i32.const 2) (call $actor_ttl (i32.const 1) (i64.const -5)))
    (call $probe (i32.const 3) (call $state_ttl (i32.const 136) (i32.const 5) (i32.const 1) (i64.const 10)))
    (call $probe (i32.const 4) (i32.wrap_i64 (call $state_get (i32.const 136) (i32.const 5))))
    (call $probe (i32.const 5) (call $state_delete (i32.const 136) (i32.const 5)))
    (call $probe (i32.const 6) (call $timer_cancel (i64.const 12345)))
    (call $probe (i32.const 7) (call $unsubscribe (i32.const 144) (i32.const 7)))
    (call $probe (i32.const 8) (call $reply (i32.const 152) (i32.const 1)))
    (call $probe (i32.const 9) (i32.wrap_i64 (call $reply_handle)))
    (call $probe (i32.const 10) (call $reply_to (i32.const 160) (i32.const 2) (i32.const 0) (i32.const 0)))
    (call $probe (i32.const 11) (i32.wrap_i64 (call $topic)))
    (call $probe (i32.const 12) (i32.wrap_i64 (call $correlation_id)))
    (call $probe (i32.const 13) (call $reply_status))
    (call $probe (i32.const 14) (call $publish (i32.const 168) (i32.const 9) (i32.const 0) (i32.const 0)))
    (call $probe (i32.const 15) (i32.wrap_i64 (call $state_get (i32.const 0) (i32.const 0))))
    (drop (call $state_put (i32.const 88) (i32.const 5) (i32.const 288) (i32.const 16))))

  (func $dispatch (param $p i32) (param $l i32) (result i32)
    (local $kind i32) (local $cmd i32) (local $a i32) (local $al i32) (local $r i64) (local $id i64)
    (local.set $kind (call $message_kind))
    (if (i32.ge_u (local.get $kind) (i32.const 2))
      (then (call $by_kind (local.get $kind) (local.get $p) (local.get $l)) (return (i32.const 0))))
    (if (i32.eqz (local.get $l)) (then (return (i32.const 1))))
    (local.set $cmd (i32.load8_u (local.get $p)))
    (local.set $a (i32.add (local.get $p) (i32.const 1)))
    (local.set $al (i32.sub (local.get $l) (i32.const 1)))
    (if (i32.eq (local.get $cmd) (i32.const 69)) ;; E
      (then
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then (drop (call $reply (local.get $p) (local.get $l)))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 67)) ;; C
      (then
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then
            (i32.store (i32.const 256) (call $get_n))
            (drop (call $reply (i32.const 256) (i32.const 4))))
          (else (call $put_n (i32.add (call $get_n) (i32.const 1)))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 65)) ;; A
      (then
        (if (i32.lt_u (local.get $al) (i32.const 8)) (then (return (i32.const 1))))
        (drop (call $actor_ttl (i32.const 1) (i64.load (local.get $a))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 75)) ;; K
      (then
        (if (i32.lt_u (local.get $al) (i32.const 8)) (then (return (i32.const 1))))
        (drop (call $state_put (i32.add (local.get $a) (i32.const 8)) (i32.sub (local.get $al) (i32.const 8))
          (i32.const 8) (i32.const 1)))
        (drop (call $state_ttl (i32.add (local.get $a) (i32.const 8)) (i32.sub (local.get $al) (i32.const 8))
          (i32.const 1) (i64.load (local.get $a))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 81)) ;; Q
      (then
        (call $put_i64 (i32.const 16) (i32.const 4)
          (call $ask (local.get $a) (local.get $al) (i32.const 96) (i32.const 5) (i64.const 1000)))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 83)) ;; S
      (then (drop (call $subscribe (local.get $a) (local.get $al))) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 85)) ;; U
      (then (drop (call $unsubscribe (local.get $a) (local.get $al))) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 80)) ;; P
      (then
        (drop (call $publish (local.get $a) (local.get $al) (i32.const 104) (i32.const 2)))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 77)) ;; M
      (then
        (if (i32.lt_u (local.get $al) (i32.const 8)) (then (return (i32.const 1))))
        (call $put_i64 (i32.const 40) (i32.const 5)
          (call $timer_set (i64.load (local.get $a))
            (i32.add (local.get $a) (i32.const 8)) (i32.sub (local.get $al) (i32.const 8))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 88)) ;; X
      (then
        (local.set $r (call $state_get (i32.const 40) (i32.const 5)))
        (if (i32.and (i64.gt_s (local.get $r) (i64.const 0))
                     (i32.eq (call $len (local.get $r)) (i32.const 8)))
          (then (local.set $id (i64.load (call $ptr (local.get $r))))))
        (i32.store8 (i32.const 256) (call $timer_cancel (local.get $id)))
        (drop (call $state_put (i32.const 48) (i32.const 9) (i32.const 256) (i32.const 1)))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 33)) ;; !
      (then (call $put_n (i32.add (call $get_n) (i32.const 1))) unreachable))
    (if (i32.eq (local.get $cmd) (i32.const 70)) ;; F
      (then (call $put_n (i32.add (call $get_n) (i32.const 1))) (return (i32.const 42))))
    (if (i32.eq (local.get $cmd) (i32.const 71)) ;; G
      (then
        (local.set $r (call $shared_get (local.get $a) (local.get $al)))
        (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (i32.const 44))))
        (drop (call $reply (call $ptr (local.get $r)) (call $len (local.get $r))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 73)) ;; I
      (then (call $info (local.get $kind)) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 72)) ;; H
      (then
        (local.set $r (call $reply_handle))
        (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (i32.const 45))))
        (drop (call $state_put (i32.const 80) (i32.const 1) (call $ptr (local.get $r)) (call $len (local.get $r))))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 82)) ;; R
      (then
        (local.set $r (call $state_get (i32.const 80) (i32.const 1)))
        (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (i32.const 45))))
        (drop (call $reply_to (call $ptr (local.get $r)) (call $len (local.get $r)) (local.get $a) (local.get $al)))
        (drop (call $state_delete (i32.const 80) (i32.const 1)))
        (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 76)) ;; L
      (then (call $log (i32.const 2) (local.get $a) (local.get $al)) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 68)) ;; D
      (then (drop (call $state_delete (local.get $a) (local.get $al))) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 90)) ;; Z
      (then (call $state_clear) (return (i32.const 0))))
    (if (i32.eq (local.get $cmd) (i32.const 89)) ;; Y
      (then (call $error_probe) (return (i32.const 0))))
    (i32.const 1))

  (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
    (local $rc i32)
    (local.set $rc (call $dispatch (local.get $p) (local.get $l)))
    (global.set $heap (i32.const 1024)) ;; the turn is over: empty the arena
    (local.get $rc))

  (func (export "mayfly_on_expire") (result i32)
    (local $r i64) (local $s i32) (local $sl i32) (local $i i32)
    (i32.store (i32.const 256) (call $get_n))
    (local.set $r (call $self))
    (local.set $s (call $ptr (local.get $r)))
    (local.set $sl (call $len (local.get $r)))
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $i) (local.get $sl)))
        (br_if $found (i32.eq (i32.load8_u (i32.add (local.get $s) (local.get $i))) (i32.const 47)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (local.set $s (call $cat (i32.const 112) (i32.const 8)
      (i32.add (local.get $s) (local.get $i)) (i32.sub (local.get $sl) (local.get $i))))
    (drop (call $publish (local.get $s) (i32.add (i32.const 8) (i32.sub (local.get $sl) (local.get $i)))
      (i32.const 256) (i32.const 4)))
    (global.set $heap (i32.const 1024))
    (i32.const 0)))
