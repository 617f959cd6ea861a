package io.mayfly.runtime;

import java.time.Duration;

/** How the runtime's messages show values to users. */
final class Texts {
  private Texts() {}

  /** A duration as users type it: {@code 250ms}, {@code 5s}, {@code 10m}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
