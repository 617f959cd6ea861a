package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateEntry;
import io.mayfly.runtime.spi.TurnEnvironment;
import io.mayfly.wasm.AbiResult;
import io.mayfly.wasm.HostCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One turn's view of its actor and the buffer of everything it does. Reads see the turn's own
 * writes; nothing leaves the buffer until the node commits it after the guest returned 0.
 *
 * <p>A turn is a function of its state, its message, its time and what its {@link TurnEnvironment}
 * answers: it reads nothing else (no clock, no node), which is what makes a turn recordable and
 * replayable. The answers it was given are kept for its {@link TurnRecord}.
 */
final class Turn implements HostCalls {
  private static final int OK = AbiResult.OK.code();
  private static final int NOT_FOUND = AbiResult.NOT_FOUND.code();
  private static final int INVALID_ADDRESS = AbiResult.INVALID_ADDRESS.code();
  private static final int TOO_LARGE = AbiResult.TOO_LARGE.code();
  private static final int NO_REQUEST = AbiResult.NO_REQUEST.code();
  private static final int LIMIT_EXCEEDED = AbiResult.LIMIT_EXCEEDED.code();
  private static final int INVALID_ARGUMENT = AbiResult.INVALID_ARGUMENT.code();
  private static final int EXPIRED = AbiResult.EXPIRED.code();
  private static final int BAD_HANDLE = AbiResult.BAD_HANDLE.code();
  private static final long NANOS_PER_MILLI = 1_000_000;

  private final TurnEnvironment env;
  private final TypeInfo type;
  private final TypeConfig config;
  private final Address self;
  private final Message message;
  private final ActorState before;

  /**
   * {@link #before} when the actor has state of its own, else {@code null}: a state that only
   * remembers handled message ids does not carry the actor's TTL forward.
   */
  private final ActorState prior;

  private final long now;

  /** The turn's span while tracing: what it sends carries it; {@code null} while not. */
  private final TraceContext trace;

  private Map<String, StateEntry> entries;
  private boolean entriesCopied;
  private int dataBytes;

  /** Bytes of the payloads of the actor's pending timers: charged with its state. */
  private int timerBytes;

  /** No key of {@link #entries} expires before this (it may be earlier than the true minimum). */
  private long earliestKeyDeadline;

  private Set<String> touched;
  private boolean wrote;
  private Ttl ttlOverride;
  private boolean ttlChanged;
  private Map<Long, PendingTimer> timers;
  private Set<String> subscriptions;
  private List<Effect> effects;
  private int effectCount;
  private int droppedLogs;
  private boolean replied;
  private byte[] replyHandle;

  // What the environment answered, for the record: allocated only when asked.
  private List<Long> ids;
  private Map<String, byte[]> sharedReads;
  private long randomSeed;

  Turn(
      TurnEnvironment env,
      TypeInfo type,
      Address self,
      Message message,
      ActorState before,
      long now,
      TraceContext trace) {
    this.trace = trace;
    this.env = env;
    this.type = type;
    this.config = type.config();
    this.self = self;
    this.message = message;
    this.before = before;
    this.prior = before != null && !before.onlyHandled() ? before : null;
    this.now = now;
    this.entries = before == null ? Map.of() : before.entries();
    this.dataBytes = before == null ? 0 : before.dataBytes();
    this.earliestKeyDeadline = before == null ? Long.MAX_VALUE : before.earliestKeyDeadline();
    this.ttlOverride = before == null ? null : before.ttlOverride();
    this.timers = before == null ? Map.of() : before.timers();
    this.subscriptions = before == null ? Set.of() : before.subscriptions();
    if (!timers.isEmpty()) {
      for (PendingTimer t : timers.values()) {
        timerBytes += t.payload().length;
      }
    }
    if (message.kind() == MessageKind.TIMER) {
      PendingTimer fired = mutableTimers().remove(message.correlationId());
      if (fired != null) {
        timerBytes -= fired.payload().length;
      }
    }
  }

  Message message() {
    return message;
  }

  /** The turn's time on the node clock: one reading for everything the turn does. */
  long now() {
    return now;
  }

  ActorState before() {
    return before;
  }

  /** The turn's span, or {@code null} while tracing is off. */
  TraceContext trace() {
    return trace;
  }

  List<Effect> effects() {
    return effects == null ? List.of() : effects;
  }

  /** Whether the ask being handled was answered, or its handle taken for a later answer. */
  boolean answered() {
    return replied || replyHandle != null;
  }

  int droppedLogs() {
    return droppedLogs;
  }

  // ---- the current message ---------------------------------------------------------------

  @Override
  public byte[] self() {
    return self.toBytes();
  }

  @Override
  public byte[] sender() {
    return message.sender() == null ? null : message.sender().toBytes();
  }

  @Override
  public int messageKind() {
    return message.kind().code();
  }

  @Override
  public long correlationId() {
    return message.correlationId();
  }

  @Override
  public int replyStatus() {
    return message.kind() == MessageKind.REPLY ? message.replyStatus().code() : 0;
  }

  @Override
  public byte[] topic() {
    return message.topic() == null ? null : message.topic().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public long nowMillis() {
    return Math.floorDiv(now, NANOS_PER_MILLI); // the node clock counts from the epoch
  }

  /** The seed of this turn's random numbers: drawn once, when first asked, and recorded. */
  @Override
  public long randomSeed() {
    if (randomSeed == 0) {
      long seed = env.randomSeed();
      randomSeed = seed == 0 ? 1 : seed;
    }
    return randomSeed;
  }

  @Override
  public void log(int level, byte[] text) {
    if (!countEffect()) {
      droppedLogs++;
      return;
    }
    int clamped = Math.max(0, Math.min(4, level));
    addEffect(new Effect.Log(clamped, new String(text, StandardCharsets.UTF_8)));
  }

  // ---- state ------------------------------------------------------------------------------

  private StateEntry live(String key) {
    StateEntry e = entries.get(key);
    return e == null || e.expiredAt(now) ? null : e;
  }

  private Map<String, StateEntry> mutableEntries() {
    if (!entriesCopied) {
      entries = new LinkedHashMap<>(entries);
      entriesCopied = true;
    }
    return entries;
  }

  private Map<Long, PendingTimer> mutableTimers() {
    if (!(timers instanceof HashMap)) {
      timers = new HashMap<>(timers);
    }
    return timers;
  }

  private Set<String> mutableSubscriptions() {
    if (!(subscriptions instanceof HashSet)) {
      subscriptions = new HashSet<>(subscriptions);
    }
    return subscriptions;
  }

  /**
   * The key as stored: interned, found by its bytes without decoding them (see {@link RecentKeys}).
   */
  private static String key(byte[] keyBytes) {
    return RecentKeys.ofThread().key(keyBytes);
  }

  @Override
  public byte[] stateGet(byte[] keyBytes) {
    String key = key(keyBytes);
    StateEntry e = live(key);
    if (e == null) {
      return null;
    }
    if (e.policy() == TtlPolicy.AFTER_ACCESS) {
      if (touched == null) {
        touched = new HashSet<>();
      }
      touched.add(key);
    }
    return e.value();
  }

  @Override
  public int statePut(byte[] keyBytes, byte[] value) {
    String key = key(keyBytes);
    StateEntry old = live(key);
    int keyLength = keyBytes.length;
    int oldBytes = old == null ? 0 : keyLength + old.value().length;
    int newDataBytes = dataBytes - oldBytes + keyLength + value.length;
    if (newDataBytes + timerBytes > config.maxStateBytes()) {
      return TOO_LARGE;
    }
    TtlPolicy policy = old == null ? TtlPolicy.DEFAULT : old.policy();
    long ttl = old == null ? 0 : old.ttlNanos();
    var entry = new StateEntry(value, policy, ttl, keyDeadline(policy, ttl, old));
    earliestKeyDeadline = Math.min(earliestKeyDeadline, entry.expiresAtNanos());
    if (!entriesCopied && (entries.isEmpty() || (entries.size() == 1 && old != null))) {
      // The common one-key state stays a compact immutable map: no copy now, none at commit.
      entries = Map.of(key, entry);
    } else {
      mutableEntries().put(key, entry);
    }
    dataBytes = newDataBytes;
    wrote = true;
    return OK;
  }

  /** A written key's deadline: write and access policies restart, the others keep theirs. */
  private long keyDeadline(TtlPolicy policy, long ttlNanos, StateEntry old) {
    return switch (policy) {
      case AFTER_WRITE, AFTER_ACCESS -> now + ttlNanos;
      case AT_DEADLINE -> old.expiresAtNanos();
      case DEFAULT, NEVER -> Long.MAX_VALUE;
    };
  }

  @Override
  public int stateDelete(byte[] keyBytes) {
    String key = key(keyBytes);
    StateEntry old = live(key);
    if (old == null) {
      return 0;
    }
    mutableEntries().remove(key);
    dataBytes -= keyBytes.length + old.value().length;
    wrote = true;
    return 1;
  }

  @Override
  public void stateClear() {
    entries = new LinkedHashMap<>();
    entriesCopied = true;
    dataBytes = 0;
    wrote = true;
  }

  @Override
  public int stateTtl(byte[] keyBytes, int policyCode, long ttlMillis) {
    TtlPolicy policy = validPolicy(policyCode, ttlMillis);
    if (policy == null) {
      return INVALID_ARGUMENT;
    }
    String key = key(keyBytes);
    StateEntry old = live(key);
    if (old == null) {
      return NOT_FOUND;
    }
    long ttl = Duration.ofMillis(Math.max(0, ttlMillis)).toNanos();
    long deadline =
        switch (policy) {
          case AFTER_WRITE, AFTER_ACCESS, AT_DEADLINE -> now + ttl;
          case DEFAULT, NEVER -> Long.MAX_VALUE;
        };
    mutableEntries().put(key, new StateEntry(old.value(), policy, ttl, deadline));
    earliestKeyDeadline = Math.min(earliestKeyDeadline, deadline);
    wrote = true;
    return OK;
  }

  @Override
  public int actorTtl(int policyCode, long ttlMillis) {
    TtlPolicy policy = validPolicy(policyCode, ttlMillis);
    if (policy == null) {
      return INVALID_ARGUMENT;
    }
    ttlOverride =
        switch (policy) {
          case DEFAULT -> null;
          case NEVER -> Ttl.never();
          default -> new Ttl(policy, Duration.ofMillis(ttlMillis));
        };
    ttlChanged = true;
    return OK;
  }

  private static TtlPolicy validPolicy(int code, long ttlMillis) {
    TtlPolicy policy = TtlPolicy.ofCode(code);
    if (policy == null) {
      return null;
    }
    boolean needsDuration =
        policy == TtlPolicy.AFTER_WRITE
            || policy == TtlPolicy.AFTER_ACCESS
            || policy == TtlPolicy.AT_DEADLINE;
    return needsDuration && ttlMillis <= 0 ? null : policy;
  }

  // ---- talking to others ------------------------------------------------------------------

  private boolean countEffect() {
    if (effectCount >= config.maxEffectsPerTurn()) {
      return false;
    }
    effectCount++;
    return true;
  }

  private void addEffect(Effect e) {
    if (effects == null) {
      effects = new ArrayList<>(4);
    }
    effects.add(e);
  }

  private boolean tooLarge(byte[] payload) {
    return payload.length > config.maxMessageBytes();
  }

  /** Whether one more outgoing message fits: OK, or the error code to return. */
  private int admit(byte[] payload) {
    if (tooLarge(payload)) {
      return TOO_LARGE;
    }
    return countEffect() ? OK : LIMIT_EXCEEDED;
  }

  private static Address address(byte[] bytes) {
    try {
      return Address.parse(bytes);
    } catch (InvalidAddressException e) {
      return null;
    }
  }

  @Override
  public int send(byte[] addressBytes, byte[] payload) {
    Address to = address(addressBytes);
    if (to == null) {
      return INVALID_ADDRESS;
    }
    int admitted = admit(payload);
    if (admitted != OK) {
      return admitted;
    }
    addEffect(new Effect.Send(to, payload));
    return OK;
  }

  @Override
  public long ask(byte[] addressBytes, byte[] payload, long timeoutMillis) {
    Address to = address(addressBytes);
    if (to == null) {
      return INVALID_ADDRESS;
    }
    int admitted = admit(payload);
    if (admitted != OK) {
      return admitted;
    }
    long correlationId = nextId();
    Duration timeout = timeoutMillis <= 0 ? config.askTimeout() : Duration.ofMillis(timeoutMillis);
    addEffect(new Effect.Ask(to, payload, correlationId, timeout));
    return correlationId;
  }

  @Override
  public int reply(byte[] payload) {
    if (message.kind() != MessageKind.ASK || answered()) {
      return NO_REQUEST;
    }
    if (tooLarge(payload)) {
      return TOO_LARGE;
    }
    addEffect(new Effect.Reply(((Message.Ask) message).request(), payload));
    replied = true;
    return OK;
  }

  @Override
  public byte[] replyHandle() {
    if (replyHandle != null) {
      return replyHandle;
    }
    if (message.kind() != MessageKind.ASK || replied) {
      return null;
    }
    replyHandle = env.replyHandle(((Message.Ask) message).request());
    return replyHandle;
  }

  @Override
  public int replyTo(byte[] handle, byte[] payload) {
    RequestRef request = env.parseReplyHandle(handle);
    if (request == null) {
      return BAD_HANDLE;
    }
    boolean current = message instanceof Message.Ask ask && request.equals(ask.request());
    if (current && replied) {
      return NO_REQUEST;
    }
    if (!env.isPending(request)) {
      return EXPIRED;
    }
    if (tooLarge(payload)) {
      return TOO_LARGE;
    }
    addEffect(new Effect.Reply(request, payload));
    if (current) {
      replied = true;
    }
    return OK;
  }

  @Override
  public int publish(byte[] topicBytes, byte[] payload) {
    String topic;
    try {
      topic = Topics.checkTopic(new String(topicBytes, StandardCharsets.UTF_8));
    } catch (InvalidAddressException e) {
      return INVALID_ARGUMENT;
    }
    int admitted = admit(payload);
    if (admitted != OK) {
      return admitted;
    }
    addEffect(new Effect.Publish(topic, payload));
    return OK;
  }

  @Override
  public int subscribe(byte[] filterBytes) {
    String filter;
    try {
      filter = Topics.checkFilter(new String(filterBytes, StandardCharsets.UTF_8));
    } catch (InvalidAddressException e) {
      return INVALID_ARGUMENT;
    }
    if (subscriptions.contains(filter)) {
      return OK;
    }
    if (!countEffect()) {
      return LIMIT_EXCEEDED;
    }
    mutableSubscriptions().add(filter);
    addEffect(new Effect.Subscribe(filter));
    return OK;
  }

  @Override
  public int unsubscribe(byte[] filterBytes) {
    String filter = new String(filterBytes, StandardCharsets.UTF_8);
    if (!subscriptions.contains(filter)) {
      return 0;
    }
    mutableSubscriptions().remove(filter);
    addEffect(new Effect.Unsubscribe(filter));
    return 1;
  }

  @Override
  public long timerSet(long delayMillis, byte[] payload) {
    if (delayMillis < 0) {
      return INVALID_ARGUMENT;
    }
    // Pending timers are part of the actor's state: at most a mailbox's worth of them, and their
    // payloads count against the state limit, so timers can never queue more than that.
    if (timers.size() >= config.mailboxCapacity()) {
      return LIMIT_EXCEEDED;
    }
    if ((long) dataBytes + timerBytes + payload.length > config.maxStateBytes()) {
      return TOO_LARGE;
    }
    int admitted = admit(payload);
    if (admitted != OK) {
      return admitted;
    }
    timerBytes += payload.length;
    long id = nextId();
    while (timers.containsKey(id)) {
      id = nextId(); // an id this actor got on another node: its timers stay apart
    }
    long due = now + Math.multiplyExact(delayMillis, NANOS_PER_MILLI);
    mutableTimers().put(id, new PendingTimer(id, due, payload));
    addEffect(new Effect.SetTimer(id, Duration.ofMillis(delayMillis), due, payload));
    return id;
  }

  @Override
  public int timerCancel(long timerId) {
    if (!timers.containsKey(timerId)) {
      return 0;
    }
    timerBytes -= mutableTimers().remove(timerId).payload().length;
    addEffect(new Effect.CancelTimer(timerId));
    return 1;
  }

  @Override
  public byte[] sharedGet(byte[] keyBytes) {
    String key = new String(keyBytes, StandardCharsets.UTF_8);
    byte[] value = env.sharedData(key);
    if (sharedReads == null) {
      sharedReads = new LinkedHashMap<>();
    }
    sharedReads.put(key, value);
    return value;
  }

  private long nextId() {
    long id = env.nextId();
    if (ids == null) {
      ids = new ArrayList<>(2);
    }
    ids.add(id);
    return id;
  }

  // ---- commit -----------------------------------------------------------------------------

  /**
   * The state this turn commits: {@code before} itself when nothing changed that the store must
   * know about, otherwise a new state with deadlines computed at the turn's time.
   */
  ActorState newState(Ttl typeDefault) {
    Ttl ttl = ttlOverride != null ? ttlOverride : typeDefault;
    boolean timersChanged = timers != (before == null ? Map.of() : before.timers());
    boolean subsChanged = subscriptions != (before == null ? Set.of() : before.subscriptions());
    boolean changed = wrote || ttlChanged || touched != null || timersChanged || subsChanged;
    if (!changed && (prior == null || ttl.policy() != TtlPolicy.AFTER_ACCESS)) {
      return before;
    }
    Map<String, StateEntry> live = entries;
    if (touched != null || hasExpiredKeys()) {
      live = new LinkedHashMap<>();
      for (var e : entries.entrySet()) {
        StateEntry entry = e.getValue();
        if (entry.expiredAt(now)) {
          continue;
        }
        if (touched != null && touched.contains(e.getKey())) {
          entry =
              new StateEntry(
                  entry.value(), entry.policy(), entry.ttlNanos(), now + entry.ttlNanos());
        }
        live.put(e.getKey(), entry);
      }
    }
    return ActorState.of(
        live,
        ttlOverride,
        actorDeadline(ttl),
        timers,
        subscriptions,
        before == null ? Map.of() : before.handled(),
        before == null ? Map.of() : before.outbox());
  }

  private boolean hasExpiredKeys() {
    if (earliestKeyDeadline == Long.MAX_VALUE || earliestKeyDeadline - now > 0) {
      return false; // spares iterating the entries, which allocates, on most turns
    }
    for (StateEntry e : entries.values()) {
      if (e.expiredAt(now)) {
        return true;
      }
    }
    return false;
  }

  private long actorDeadline(Ttl ttl) {
    long restarted =
        ttl.policy() == TtlPolicy.NEVER ? Long.MAX_VALUE : now + ttl.duration().toNanos();
    if (prior == null || ttlChanged) {
      return restarted;
    }
    return switch (ttl.policy()) {
      case AFTER_WRITE -> wrote ? restarted : prior.expiresAtNanos();
      case AFTER_ACCESS -> restarted;
      case AT_DEADLINE ->
          prior.expiresAtNanos() == Long.MAX_VALUE ? restarted : prior.expiresAtNanos();
      case NEVER, DEFAULT -> Long.MAX_VALUE;
    };
  }

  TurnRecord record(ActorState after, TurnRecord.Failure failure) {
    TurnRecord.HostAnswers answers =
        ids == null && sharedReads == null && randomSeed == 0
            ? TurnRecord.HostAnswers.NONE
            : new TurnRecord.HostAnswers(
                ids == null ? List.of() : List.copyOf(ids),
                sharedReads == null ? Map.of() : sharedReads,
                randomSeed);
    return new TurnRecord(
        self,
        message,
        type,
        now,
        before,
        failure != null ? before : after,
        answers,
        effects(),
        failure);
  }
}
