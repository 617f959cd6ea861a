package io.mayfly.runtime;

import com.github.benmanes.caffeine.cache.Interner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The state keys a thread met last, found by the UTF-8 bytes a guest passed: a state call gets the
 * key's interned string without decoding the bytes into a new string first (a string and its array
 * per call were a tenth of a sensor turn's garbage). Interned, so a million actors of a type share
 * one copy of each key name. A small direct-mapped table per thread; a miss decodes and interns the
 * key and takes its slot.
 */
final class RecentKeys {
  private static final int SLOTS = 16;

  private static final Interner<String> INTERNED = Interner.newWeakInterner();

  private static final ThreadLocal<RecentKeys> PER_THREAD =
      ThreadLocal.withInitial(RecentKeys::new);

  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] keys = new String[SLOTS];

  /** The calling thread's table. */
  static RecentKeys ofThread() {
    return PER_THREAD.get();
  }

  /**
   * The interned key whose UTF-8 encoding is {@code utf8}.
   *
   * @param utf8 well-formed UTF-8 (the host checks a key before the call reaches a turn)
   */
  String key(byte[] utf8) {
    int i = slot(utf8);
    byte[] known = bytes[i];
    if (known != null && Arrays.equals(known, utf8)) {
      return keys[i];
    }
    String key = INTERNED.intern(new String(utf8, StandardCharsets.UTF_8));
    bytes[i] = utf8.clone(); // the caller's array may change after the call
    keys[i] = key;
    return key;
  }

  private static int slot(byte[] utf8) {
    int h = utf8.length;
    for (byte b : utf8) {
      h = 31 * h + b;
    }
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
