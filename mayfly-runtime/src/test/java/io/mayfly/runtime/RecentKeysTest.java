package io.mayfly.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {
  private final RecentKeys keys = new RecentKeys();

  @Test
  void equalBytesGiveTheSameInternedKey() {
    String first = keys.key("window".getBytes(UTF_8));
    String again = keys.key("window".getBytes(UTF_8));

    assertThat(again).isEqualTo("window").isSameAs(first);
    assertThat(new RecentKeys().key("window".getBytes(UTF_8))).isSameAs(first);
  }

  @Test
  void manyKeysSharingSlotsAreNeverConfused() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1_000; i++) {
        assertThat(keys.key(("k" + i).getBytes(UTF_8))).isEqualTo("k" + i);
      }
    }
  }

  @Test
  void anArrayChangedAfterTheCallDoesNotChangeTheKeyItNamed() {
    byte[] bytes = "ab".getBytes(UTF_8);
    keys.key(bytes);
    bytes[1] = 'c';

    assertThat(keys.key("ab".getBytes(UTF_8))).isEqualTo("ab");
    assertThat(keys.key(bytes)).isEqualTo("ac");
  }

  @Test
  void multiByteKeysAreDecodedAsUtf8() {
    assertThat(keys.key("température/é€".getBytes(UTF_8))).isEqualTo("température/é€");
  }
}
