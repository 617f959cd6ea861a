package io.mayfly.wasm;

/**
 * The result codes of the actor ABI's host functions (docs/abi.md, "Result codes"): 0 or a
 * non-negative count for success, a negative code for each kind of refusal.
 */
public enum AbiResult {
  /** Done. */
  OK(0),
  /** No such key, timer or data. */
  NOT_FOUND(-1),
  /** The bytes are not a valid actor address. */
  INVALID_ADDRESS(-2),
  /** A payload, value or state is over its limit. */
  TOO_LARGE(-3),
  /** The turn has no request to answer (not an ask, or answered already). */
  NO_REQUEST(-4),
  /** The turn's effect limit is reached. */
  LIMIT_EXCEEDED(-5),
  /** An argument is out of its range (policy, duration, key, topic, filter). */
  INVALID_ARGUMENT(-6),
  /** The request a reply handle names is no longer pending. */
  EXPIRED(-7),
  /** The bytes are not a reply handle. */
  BAD_HANDLE(-8);

  private final int code;

  AbiResult(int code) {
    this.code = code;
  }

  /** The code a host function returns. */
  public int code() {
    return code;
  }
}
