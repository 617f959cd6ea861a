package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.testing.Wat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keys of the same length that differ in one byte stay apart, though a guest instance hands the
 * host the array of the last key it read while the bytes repeat.
 */
class StateKeysTest {
  /**
   * Per message: puts "ka" = the payload, "kb" = "BB", "xa" = "XX", "ka" again read back, and
   * replies with what "ka" holds; the keys sit at 0 ("ka"), 2 ("kb") and 4 ("xa").
   */
  private static final byte[] THREE_KEYS =
      Wat.actor(
          """
          (data (i32.const 0) "kakbxa")
          (data (i32.const 8) "BBXX")
          (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
            (local $r i64)
            (drop (call $state_put (i32.const 0) (i32.const 2) (local.get $p) (local.get $l)))
            (drop (call $state_put (i32.const 2) (i32.const 2) (i32.const 8) (i32.const 2)))
            (drop (call $state_put (i32.const 4) (i32.const 2) (i32.const 10) (i32.const 2)))
            (local.set $r (call $state_get (i32.const 0) (i32.const 2)))
            (drop (call $reply (call $ptr (local.get $r)) (call $len (local.get $r))))
            (i32.const 0))
          """);

  @Test
  void keysOfOneLengthThatDifferInOneByteKeepTheirOwnValues() {
    try (Mayfly node = Mayfly.builder().synchronous(true).build()) {
      node.deploy("keys", THREE_KEYS);
      Address a = Address.parse("keys/a");
      for (String payload : new String[] {"first", "second"}) {
        byte[] reply =
            node.ask(a, payload.getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo(payload);
      }
      ActorSnapshot state = node.state(a).orElseThrow();
      assertThat(state.entries()).containsOnlyKeys("ka", "kb", "xa");
      assertThat(text(state, "ka")).isEqualTo("second");
      assertThat(text(state, "kb")).isEqualTo("BB");
      assertThat(text(state, "xa")).isEqualTo("XX");
    }
  }

  private static String text(ActorSnapshot state, String key) {
    return new String(state.entries().get(key).value(), StandardCharsets.UTF_8);
  }
}
