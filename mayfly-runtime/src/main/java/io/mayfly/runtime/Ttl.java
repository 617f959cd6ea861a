package io.mayfly.runtime;

import java.time.Duration;

/**
 * A TTL policy with its duration.
 *
 * @param policy when the clock restarts
 * @param duration how long after that the state expires; ignored for {@link TtlPolicy#NEVER}
 */
public record Ttl(TtlPolicy policy, Duration duration) {
  public Ttl {
    if (policy == null || policy == TtlPolicy.DEFAULT) {
      throw new InvalidConfigException(
          "ttl policy must be AFTER_WRITE, AFTER_ACCESS, AT_DEADLINE or NEVER");
    }
    if (policy != TtlPolicy.NEVER
        && (duration == null || duration.isNegative() || duration.isZero())) {
      throw new InvalidConfigException(
          "ttl duration must be positive for " + policy + ", was " + Durations.show(duration));
    }
    if (policy == TtlPolicy.NEVER) {
      duration = Duration.ZERO;
    }
  }

  /** Expires {@code d} after the last write. */
  public static Ttl afterWrite(Duration d) {
    return new Ttl(TtlPolicy.AFTER_WRITE, d);
  }

  /** Expires {@code d} after the last read or write. */
  public static Ttl afterAccess(Duration d) {
    return new Ttl(TtlPolicy.AFTER_ACCESS, d);
  }

  /** Expires {@code d} after it was set, whatever happens in between. */
  public static Ttl atDeadline(Duration d) {
    return new Ttl(TtlPolicy.AT_DEADLINE, d);
  }

  /** Never expires on its own. */
  public static Ttl never() {
    return new Ttl(TtlPolicy.NEVER, Duration.ZERO);
  }
}
