package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.testing.Wat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SmokeTest {
  static final byte[] COUNTER =
      Wat.actor(
          """
          (data (i32.const 0) "n")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (local $r i64) (local $n i32)
            (local.set $r (call $state_get (i32.const 0) (i32.const 1)))
            (if (i64.gt_s (local.get $r) (i64.const 0))
              (then (local.set $n (i32.load (call $ptr (local.get $r))))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (i32.store (i32.const 16) (local.get $n))
            (drop (call $state_put (i32.const 0) (i32.const 1) (i32.const 16) (i32.const 4)))
            (if (i32.eq (call $message_kind) (i32.const 1))
              (then (drop (call $reply (i32.const 16) (i32.const 4)))))
            (i32.const 0))
          """);

  @Test
  void counterCountsOnWorkers() {
    try (Mayfly node = Mayfly.builder().workers(2).build()) {
      node.deploy("counter", COUNTER);
      Address a = Address.parse("counter/a");
      for (int i = 0; i < 100; i++) {
        node.tell(a, new byte[0]);
      }
      byte[] r = node.ask(a, new byte[0]).toCompletableFuture().join();
      assertThat(ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(101);
    }
  }
}
