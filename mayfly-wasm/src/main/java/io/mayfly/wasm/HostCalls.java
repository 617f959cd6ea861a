package io.mayfly.wasm;

/**
 * What the host does for a guest during one turn: the actor ABI's imports after their arguments
 * have been read from guest memory. The runtime implements it with a turn buffer; every method runs
 * on the thread executing the turn.
 *
 * <p>Methods returning {@code byte[]} return {@code null} for "absent" (-1 in the ABI). Methods
 * returning {@code int} or {@code long} return the ABI's value or negative error code directly.
 */
public interface HostCalls {
  byte[] self();

  byte[] sender();

  int messageKind();

  long correlationId();

  int replyStatus();

  byte[] topic();

  long nowMillis();

  void log(int level, byte[] message);

  byte[] stateGet(byte[] key);

  int statePut(byte[] key, byte[] value);

  int stateDelete(byte[] key);

  void stateClear();

  int stateTtl(byte[] key, int policy, long ttlMillis);

  int actorTtl(int policy, long ttlMillis);

  int send(byte[] address, byte[] message);

  long ask(byte[] address, byte[] message, long timeoutMillis);

  int reply(byte[] message);

  /** The deferred reply handle, or {@code null} when there is no request to answer. */
  byte[] replyHandle();

  int replyTo(byte[] handle, byte[] message);

  int publish(byte[] topic, byte[] message);

  int subscribe(byte[] filter);

  int unsubscribe(byte[] filter);

  long timerSet(long delayMillis, byte[] message);

  int timerCancel(long timerId);

  byte[] sharedGet(byte[] key);

  /**
   * The seed of this turn's random stream: the same value for every call during one turn, drawn
   * afresh for each turn. WASI's {@code random_get} expands it deterministically, so a turn whose
   * seed is known replays exactly.
   */
  long randomSeed();
}
