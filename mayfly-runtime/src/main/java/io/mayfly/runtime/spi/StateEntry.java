package io.mayfly.runtime.spi;

import io.mayfly.runtime.TtlPolicy;

/**
 * One key of an actor's state.
 *
 * @param value the bytes (never modified after commit)
 * @param policy the key's own TTL policy, {@link TtlPolicy#DEFAULT} to follow the actor's
 * @param ttlNanos the key's own TTL duration
 * @param expiresAtNanos when the key expires on the node clock (nanoseconds since the epoch); for
 *     DEFAULT keys the actor's deadline applies and this is {@link Long#MAX_VALUE}
 */
public record StateEntry(byte[] value, TtlPolicy policy, long ttlNanos, long expiresAtNanos) {
  /** Whether the key has expired on its own at {@code now}. */
  public boolean expiredAt(long now) {
    return now - expiresAtNanos >= 0 && expiresAtNanos != Long.MAX_VALUE;
  }
}
