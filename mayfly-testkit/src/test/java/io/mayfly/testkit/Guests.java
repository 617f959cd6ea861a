package io.mayfly.testkit;

import io.mayfly.testing.Checkout;
import io.mayfly.testing.Wat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The test actors: small WAT guests, one behaviour each, and the committed C guests. */
final class Guests {
  private Guests() {}

  /** The committed C guests (testdata/guests). */
  static final Path COUNTER = Checkout.guestPath("counter");

  static final Path SENSOR = Checkout.guestPath("sensor");

  /** "init": a = "1", b = "2". Anything else: a = "3", b deleted, c = "4". */
  static final byte[] LEDGER =
      Wat.actor(
          """
          (data (i32.const 0) "abc")
          (data (i32.const 16) "1234")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 105)) ;; 'i'
              (then
                (drop (call $state_put (i32.const 0) (i32.const 1) (i32.const 16) (i32.const 1)))
                (drop (call $state_put (i32.const 1) (i32.const 1) (i32.const 17) (i32.const 1)))
                (return (i32.const 0))))
            (drop (call $state_put (i32.const 0) (i32.const 1) (i32.const 18) (i32.const 1)))
            (drop (call $state_delete (i32.const 1) (i32.const 1)))
            (drop (call $state_put (i32.const 2) (i32.const 1) (i32.const 19) (i32.const 1)))
            (i32.const 0))
          """);

  /**
   * TELL: logs "handling", sends the payload to audit/log, asks db/main with it (timeout 200 ms),
   * publishes it on orders/new. REPLY: keeps the payload in "reply", the status in "status" (1
   * byte) and the correlation id in "corr" (8 bytes LE).
   */
  static final byte[] GATEWAY =
      Wat.actor(
          """
          (data (i32.const 0) "db/main")
          (data (i32.const 16) "audit/log")
          (data (i32.const 32) "orders/new")
          (data (i32.const 48) "handling")
          (data (i32.const 64) "reply")
          (data (i32.const 72) "status")
          (data (i32.const 80) "corr")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (if (i32.eq (call $message_kind) (i32.const 2))
              (then
                (drop (call $state_put (i32.const 64) (i32.const 5) (local.get $p) (local.get $l)))
                (i32.store8 (i32.const 96) (call $reply_status))
                (drop (call $state_put (i32.const 72) (i32.const 6) (i32.const 96) (i32.const 1)))
                (i64.store (i32.const 104) (call $correlation_id))
                (drop (call $state_put (i32.const 80) (i32.const 4) (i32.const 104) (i32.const 8)))
                (return (i32.const 0))))
            (call $log (i32.const 2) (i32.const 48) (i32.const 8))
            (drop (call $send (i32.const 16) (i32.const 9) (local.get $p) (local.get $l)))
            (drop (call $ask (i32.const 0) (i32.const 7) (local.get $p) (local.get $l) (i64.const 200)))
            (drop (call $publish (i32.const 32) (i32.const 10) (local.get $p) (local.get $l)))
            (i32.const 0))
          """);

  /**
   * TELL: timers in 100 ms ("late") and 50 ms ("early"). TIMER: logs its payload and keeps it in
   * "last"; "early" sets another timer in 10 ms ("chained").
   */
  static final byte[] TIMERS =
      Wat.actor(
          """
          (data (i32.const 0) "late")
          (data (i32.const 8) "early")
          (data (i32.const 16) "chained")
          (data (i32.const 32) "last")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (if (i32.eq (call $message_kind) (i32.const 3))
              (then
                (call $log (i32.const 2) (local.get $p) (local.get $l))
                (drop (call $state_put (i32.const 32) (i32.const 4) (local.get $p) (local.get $l)))
                (if (i32.eq (local.get $l) (i32.const 5))
                  (then (drop (call $timer_set (i64.const 10) (i32.const 16) (i32.const 7)))))
                (return (i32.const 0))))
            (drop (call $timer_set (i64.const 100) (i32.const 0) (i32.const 4)))
            (drop (call $timer_set (i64.const 50) (i32.const 8) (i32.const 5)))
            (i32.const 0))
          """);

  /** ASK: keeps its reply handle in "h" and does not answer. TELL: answers it with "done". */
  static final byte[] DEFERRED =
      Wat.actor(
          """
          (data (i32.const 0) "h")
          (data (i32.const 8) "done")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (local $r i64)
            (if (i32.eq (call $message_kind) (i32.const 1))
              (then
                (local.set $r (call $reply_handle))
                (drop (call $state_put (i32.const 0) (i32.const 1)
                  (call $ptr (local.get $r)) (call $len (local.get $r))))
                (return (i32.const 0))))
            (local.set $r (call $state_get (i32.const 0) (i32.const 1)))
            (if (i64.le_s (local.get $r) (i64.const 0)) (then (return (i32.const 0))))
            (drop (call $reply_to (call $ptr (local.get $r)) (call $len (local.get $r))
              (i32.const 8) (i32.const 4)))
            (drop (call $state_delete (i32.const 0) (i32.const 1)))
            (i32.const 0))
          """);

  /**
   * TELL: subscribes to news/# and keeps the sender in "from". PUBLICATION: keeps the topic in
   * "topic". ASK: replies with shared data "greeting", or fails with error 7 when there is none.
   */
  static final byte[] LISTENER =
      Wat.actor(
          """
          (data (i32.const 0) "greeting")
          (data (i32.const 16) "news/#")
          (data (i32.const 32) "from")
          (data (i32.const 40) "topic")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (local $k i32) (local $r i64)
            (local.set $k (call $message_kind))
            (if (i32.eq (local.get $k) (i32.const 4))
              (then
                (local.set $r (call $topic))
                (drop (call $state_put (i32.const 40) (i32.const 5)
                  (call $ptr (local.get $r)) (call $len (local.get $r))))
                (return (i32.const 0))))
            (if (i32.eq (local.get $k) (i32.const 1))
              (then
                (local.set $r (call $shared_get (i32.const 0) (i32.const 8)))
                (if (i64.lt_s (local.get $r) (i64.const 0)) (then (return (i32.const 7))))
                (drop (call $reply (call $ptr (local.get $r)) (call $len (local.get $r))))
                (return (i32.const 0))))
            (drop (call $subscribe (i32.const 16) (i32.const 6)))
            (local.set $r (call $sender))
            (if (i64.ge_s (local.get $r) (i64.const 0))
              (then (drop (call $state_put (i32.const 32) (i32.const 4)
                (call $ptr (local.get $r)) (call $len (local.get $r))))))
            (i32.const 0))
          """);

  /** "go" (2 bytes): sends "pong" to itself. Anything else: keeps it in "got". */
  static final byte[] ECHO =
      Wat.actor(
          """
          (data (i32.const 0) "pong")
          (data (i32.const 8) "got")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (local $r i64)
            (if (i32.eq (local.get $l) (i32.const 2))
              (then
                (local.set $r (call $self))
                (drop (call $send (call $ptr (local.get $r)) (call $len (local.get $r))
                  (i32.const 0) (i32.const 4)))
                (return (i32.const 0))))
            (drop (call $state_put (i32.const 8) (i32.const 3) (local.get $p) (local.get $l)))
            (i32.const 0))
          """);

  static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int u32(byte[] le) {
    return ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  static long i64(byte[] le) {
    return ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  static byte[] u32(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
