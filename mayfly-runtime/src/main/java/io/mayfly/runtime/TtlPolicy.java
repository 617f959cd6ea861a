package io.mayfly.runtime;

/** When short-term state expires. The codes are the ABI's (docs/abi.md, "TTL policies"). */
public enum TtlPolicy {
  /** Per key: follow the actor's policy. Per actor: the type's default. */
  DEFAULT(0),
  /** Expires a duration after the last write. */
  AFTER_WRITE(1),
  /** Expires a duration after the last read or write (idle). */
  AFTER_ACCESS(2),
  /** Expires at a fixed deadline, a duration after the policy was set. */
  AT_DEADLINE(3),
  /** Never expires on its own; still subject to the node's memory budget. */
  NEVER(4);

  private final int code;

  TtlPolicy(int code) {
    this.code = code;
  }

  /** The ABI code. */
  public int code() {
    return code;
  }

  /** The policy for an ABI code, or {@code null} if there is none. */
  public static TtlPolicy ofCode(int code) {
    return code >= 0 && code < values().length ? values()[code] : null;
  }
}
