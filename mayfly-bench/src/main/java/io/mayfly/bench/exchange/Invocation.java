package io.mayfly.bench.exchange;

import io.mayfly.wasm.HostCalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One stateless invocation of a workflow function: the answers to the host calls the workflow
 * modules make (their id, the message kind, a reply handle, the state they were given), and what
 * they did, captured instead of delivered: the messages sent or asked, and the reply. The platform
 * around it decides where the captured messages go next (straight to the next invocation, or
 * through a store).
 */
final class Invocation implements HostCalls {
  static final int TELL = 0;
  static final int ASK = 1;
  static final int REPLY = 2;

  private static final int REPLY_OK = 0;
  private static final int NOT_FOUND = -1;
  private static final int NO_REQUEST = -4;
  private static final int LIMIT_EXCEEDED = -5;
  private static final long FIRST_TIMER_ID = 1_000_000;
  private static final byte[] CLIENT = "client".getBytes(StandardCharsets.US_ASCII);

  /** A message the function sent (TELL) or asked (ASK, with the correlation id it was given). */
  record Sent(String address, byte[] message, long correlationId) {}

  private final byte[] self;
  private final int kind;
  private final long correlationId;
  private final Map<String, byte[]> state;
  private final List<Sent> sent = new ArrayList<>();
  private byte[] reply;
  private long nextAsk = 1;
  private long nextTimer = FIRST_TIMER_ID;

  /**
   * @param address the actor address the function runs as ({@code stage/3}, {@code worker/7})
   * @param kind the message kind ({@link #TELL}, {@link #ASK} or {@link #REPLY})
   * @param correlationId the id of the ask a REPLY answers (0 otherwise)
   * @param state the function's state, read and changed in place
   */
  Invocation(String address, int kind, long correlationId, Map<String, byte[]> state) {
    this.self = address.getBytes(StandardCharsets.US_ASCII);
    this.kind = kind;
    this.correlationId = correlationId;
    this.state = state;
  }

  /** The messages sent and asked, in order. */
  List<Sent> sent() {
    return sent;
  }

  /** The reply (to the invocation's ask, or through a reply handle), or null if none. */
  byte[] reply() {
    return reply;
  }

  /** The one message a chain stage hands on. */
  Sent onlySent() {
    if (sent.size() != 1) {
      throw new IllegalStateException(
          "a chain stage must send exactly one message, it sent " + sent.size());
    }
    return sent.getFirst();
  }

  @Override
  public byte[] self() {
    return self;
  }

  @Override
  public byte[] sender() {
    return null;
  }

  @Override
  public int messageKind() {
    return kind;
  }

  @Override
  public long correlationId() {
    return correlationId;
  }

  @Override
  public int replyStatus() {
    return REPLY_OK;
  }

  @Override
  public byte[] topic() {
    return null;
  }

  @Override
  public long nowMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long randomSeed() {
    return 0; // the workflow modules use no randomness
  }

  @Override
  public void log(int level, byte[] message) {
    // The workflow modules log only when a client gave up, which a stateless invocation never does.
  }

  @Override
  public byte[] stateGet(byte[] key) {
    return state.get(key(key));
  }

  @Override
  public int statePut(byte[] key, byte[] value) {
    state.put(key(key), value);
    return 0;
  }

  @Override
  public int stateDelete(byte[] key) {
    return state.remove(key(key)) == null ? NOT_FOUND : 0;
  }

  @Override
  public void stateClear() {
    state.clear();
  }

  @Override
  public int stateTtl(byte[] key, int policy, long ttlMillis) {
    return 0;
  }

  @Override
  public int actorTtl(int policy, long ttlMillis) {
    return 0;
  }

  @Override
  public int send(byte[] address, byte[] message) {
    sent.add(new Sent(new String(address, StandardCharsets.UTF_8), message, 0));
    return 0;
  }

  @Override
  public long ask(byte[] address, byte[] message, long timeoutMillis) {
    long id = nextAsk++;
    sent.add(new Sent(new String(address, StandardCharsets.UTF_8), message, id));
    return id;
  }

  @Override
  public int reply(byte[] message) {
    if (kind != ASK) {
      return NO_REQUEST;
    }
    return answer(message);
  }

  @Override
  public byte[] replyHandle() {
    return kind == ASK ? CLIENT : null;
  }

  @Override
  public int replyTo(byte[] handle, byte[] message) {
    return answer(message);
  }

  private int answer(byte[] message) {
    if (reply != null) {
      return LIMIT_EXCEEDED;
    }
    reply = message;
    return 0;
  }

  @Override
  public int publish(byte[] topic, byte[] message) {
    return 0;
  }

  @Override
  public int subscribe(byte[] filter) {
    return 0;
  }

  @Override
  public int unsubscribe(byte[] filter) {
    return 0;
  }

  @Override
  public long timerSet(long delayMillis, byte[] message) {
    // No deadline fires in a stateless run: every worker answers before the fan-in runs.
    return nextTimer++;
  }

  @Override
  public int timerCancel(long timerId) {
    return 0;
  }

  @Override
  public byte[] sharedGet(byte[] key) {
    return null;
  }

  private static String key(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }
}
