package io.mayfly.runtime;

import io.mayfly.runtime.spi.Placement;
import io.mayfly.runtime.spi.SpanSink;
import io.mayfly.runtime.spi.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A Mayfly node: deploys actor types and delivers messages to their actors. Thread-safe. Build one
 * with {@link #builder()}; close it to drain and stop.
 *
 * <p>An argument may be {@code null} only where its parameter says so (a trace, an idempotency key,
 * a timeout); a {@code null} address, payload, type, module, configuration, topic, filter, listener
 * or shared value throws {@link NullPointerException} naming the parameter, before anything is sent
 * or counted.
 *
 * <pre>{@code
 * try (Mayfly node = Mayfly.builder().build()) {
 *   node.deploy("counter", Files.readAllBytes(Path.of("counter.wasm")));
 *   node.tell(Address.parse("counter/a"), new byte[0]);
 *   byte[] reply = node.ask(Address.parse("counter/a"), new byte[0]).toCompletableFuture().join();
 * }
 * }</pre>
 */
public interface Mayfly extends AutoCloseable {

  /** A builder with the defaults of docs/configuration.md. */
  static Builder builder() {
    return new Builder();
  }

  /** Deploys (or redeploys) a type with the default configuration. */
  default TypeInfo deploy(String type, byte[] module) {
    return deploy(type, module, TypeConfig.DEFAULTS);
  }

  /**
   * Deploys a module under an actor type, or redeploys it: new turns then run the new version, and
   * the actors keep their state.
   *
   * @throws InvalidAddressException if {@code type} is not a valid type name
   * @throws io.mayfly.wasm.InvalidModuleException if the module is not acceptable Wasm, or is
   *     larger than {@link Builder#maxModuleBytes} or declares more than {@link
   *     Builder#maxFunctions} functions
   * @throws io.mayfly.wasm.AbiViolationException if it does not follow the actor ABI
   * @throws io.mayfly.wasm.TurnTimeoutException if its start code runs past the turn deadline
   * @throws io.mayfly.wasm.GuestTrapException if its start code traps
   * @throws DeployException if compiling took longer than allowed
   * @throws NodeClosedException if the node is shutting down
   */
  TypeInfo deploy(String type, byte[] module, TypeConfig config);

  /** Removes a type and drops its actors' state; returns whether it existed. */
  boolean undeploy(String type);

  /** The deployed types. */
  List<TypeInfo> types();

  /** One deployed type. */
  Optional<TypeInfo> type(String type);

  /**
   * Sends a one-way message.
   *
   * @throws UnknownActorTypeException if the type is not deployed
   * @throws MessageTooLargeException if the payload exceeds the type's limit
   * @throws MailboxFullException if the actor's mailbox is full
   * @throws OverloadedException if the node's {@linkplain Builder#queueBudgetBytes queue budget} is
   *     spent, or the type's share of it
   * @throws NodeClosedException if the node is shutting down
   */
  default void tell(Address to, byte[] payload) {
    tell(to, payload, null, null);
  }

  /**
   * Sends a one-way message as part of a trace: the actor's turn is a child span of {@code trace}
   * (while tracing is on; otherwise the context is ignored).
   *
   * @param trace the span that sends the message, or {@code null}: a new trace while tracing is on
   * @throws UnknownActorTypeException if the type is not deployed
   * @throws MessageTooLargeException if the payload exceeds the type's limit
   * @throws MailboxFullException if the actor's mailbox is full
   * @throws OverloadedException if the node's {@linkplain Builder#queueBudgetBytes queue budget} is
   *     spent, or the type's share of it
   * @throws NodeClosedException if the node is shutting down
   */
  default void tell(Address to, byte[] payload, TraceContext trace) {
    tell(to, payload, null, trace);
  }

  /**
   * Sends a one-way message with an idempotency key: the actor handles it once, however often it is
   * sent with the same key within the node's {@linkplain Builder#idempotencyWindow idempotency
   * window}. A retry is accepted (and dropped) as the first was.
   *
   * @param idempotencyKey 1-128 printable ASCII characters without spaces, such as a UUID; {@code
   *     null} for none
   * @throws InvalidIdempotencyKeyException if the key is malformed
   * @throws IdempotencyKeyReusedException if the actor had the key with a different message
   *     (another payload, or an ask) within the window
   * @throws UnknownActorTypeException if the type is not deployed (and the exceptions of {@link
   *     #tell(Address, byte[])})
   */
  default void tell(Address to, byte[] payload, String idempotencyKey) {
    tell(to, payload, idempotencyKey, null);
  }

  /**
   * Sends a one-way message with an idempotency key (or {@code null}) as part of a trace (or {@code
   * null}): {@link #tell(Address, byte[], String)} and {@link #tell(Address, byte[], TraceContext)}
   * in one.
   *
   * @throws InvalidIdempotencyKeyException if the key is malformed
   * @throws IdempotencyKeyReusedException if the actor had the key with a different message
   * @throws UnknownActorTypeException if the type is not deployed (and the exceptions of {@link
   *     #tell(Address, byte[])})
   */
  void tell(Address to, byte[] payload, String idempotencyKey, TraceContext trace);

  /**
   * Sends a one-way message and returns a stage that completes once it was handled: its turn
   * committed and the turn's outputs (messages, publications, timers) were released, which in a
   * cluster is once the actor's state is on its backup (the output gate). A plain {@link #tell}
   * returns when the message is queued, and a member's loss may lose it after that; this one tells
   * the sender when nothing can lose it any more, so a sender that retries until confirmed, with an
   * idempotency key, gets the message handled exactly once.
   *
   * <p>The actor sees an ordinary tell. A message dropped as a duplicate of an idempotency key the
   * actor already handled is confirmed at once (the first handling committed); one that follows a
   * first handling still queued or running is confirmed with it.
   *
   * <p>What {@link #tell(Address, byte[], String, TraceContext)} throws, this throws too (the
   * message was not sent). The stage fails with {@link TurnFailedException} (the turn failed;
   * {@link TurnFailedException#reason()} says why, as for asks), {@link AskTimeoutException} (no
   * confirmation within the timeout: the message may still be handled, so retry with the same
   * idempotency key), {@link UndeliverableException} (the message could not reach its actor, such
   * as an owner that moved or a full mailbox on another member), or {@link NodeClosedException}
   * (this node closed first).
   *
   * @param timeout how long to wait for the confirmation, a positive duration; {@code null} for the
   *     type's default ask timeout
   * @param idempotencyKey 1-128 printable ASCII characters without spaces, such as a UUID; {@code
   *     null} for none
   * @param trace the span that sends the message, or {@code null}
   * @throws InvalidConfigException if the timeout is zero or negative
   * @throws InvalidIdempotencyKeyException if the key is malformed
   * @throws IdempotencyKeyReusedException if the actor had the key with a different message
   * @throws UnknownActorTypeException if the type is not deployed (and the exceptions of {@link
   *     #tell(Address, byte[])})
   */
  CompletionStage<Void> tellConfirmed(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace);

  /**
   * Sends a one-way message with an idempotency key (or {@code null}) and waits for its turn to be
   * confirmed within the type's default ask timeout, as {@link #tellConfirmed(Address, byte[],
   * Duration, String, TraceContext)} does.
   */
  default CompletionStage<Void> tellConfirmed(Address to, byte[] payload, String idempotencyKey) {
    return tellConfirmed(to, payload, null, idempotencyKey, null);
  }

  /** Asks with the type's default ask timeout. */
  default CompletionStage<byte[]> ask(Address to, byte[] payload) {
    return ask(to, payload, null);
  }

  /**
   * Sends a request and returns its reply. The stage fails with {@link AskTimeoutException}, {@link
   * TurnFailedException} (the actor's turn failed or ended without replying), {@link
   * InvalidConfigException} (a timeout that is not positive), or the exceptions of {@link #tell}:
   * an ask never throws them.
   *
   * @param timeout how long to wait, a positive duration; {@code null} for the type's default
   */
  default CompletionStage<byte[]> ask(Address to, byte[] payload, Duration timeout) {
    return ask(to, payload, timeout, null, null);
  }

  /**
   * Sends a request as part of a trace, as {@link #ask(Address, byte[], Duration)} does.
   *
   * @param timeout how long to wait, a positive duration; {@code null} for the type's default
   * @param trace the span that asks, or {@code null}: a new trace while tracing is on
   */
  default CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, TraceContext trace) {
    return ask(to, payload, timeout, null, trace);
  }

  /**
   * Sends a request with an idempotency key: the actor handles it once within the node's
   * {@linkplain Builder#idempotencyWindow idempotency window}, and an ask sent again with the same
   * key gets the first one's reply, also while the first is still queued or running (the actor runs
   * one turn). A turn that failed is not remembered: asking again runs it again. A reply the actor
   * deferred (through its reply handle) is not remembered either: asking again after that turn
   * fails with {@link TurnFailedException} ({@code no_reply}).
   *
   * @param timeout how long to wait, a positive duration; {@code null} for the type's default
   * @param idempotencyKey 1-128 printable ASCII characters without spaces, such as a UUID; {@code
   *     null} for none
   * @return the reply; the stage also fails with {@link InvalidIdempotencyKeyException} or {@link
   *     IdempotencyKeyReusedException} (the key came with a different message within the window)
   */
  default CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, String idempotencyKey) {
    return ask(to, payload, timeout, idempotencyKey, null);
  }

  /**
   * Sends a request with an idempotency key (or {@code null}) as part of a trace (or {@code null}):
   * {@link #ask(Address, byte[], Duration, String)} and {@link #ask(Address, byte[], Duration,
   * TraceContext)} in one.
   *
   * @param timeout how long to wait, a positive duration; {@code null} for the type's default
   */
  CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace);

  /**
   * Publishes on a topic, from outside the actor system.
   *
   * @throws InvalidAddressException if the topic is malformed (empty, too long, or with a wildcard)
   * @throws NodeClosedException if the node is shutting down
   */
  default void publish(String topic, byte[] payload) {
    publish(topic, payload, null);
  }

  /**
   * Publishes on a topic from outside the actor system, as part of a trace.
   *
   * @param trace the span that publishes, or {@code null}: a new trace while tracing is on
   * @throws InvalidAddressException if the topic is malformed (empty, too long, or with a wildcard)
   * @throws NodeClosedException if the node is shutting down
   */
  void publish(String topic, byte[] payload, TraceContext trace);

  /**
   * Listens to a topic filter from outside the actor system ({@code +} matches one segment, a last
   * {@code #} the rest), until the subscription is closed.
   *
   * @throws InvalidAddressException if the filter is malformed
   */
  Subscription subscribe(String filter, TopicListener listener);

  /** An actor's state, without touching its TTL; empty if it has none. */
  Optional<ActorSnapshot> state(Address address);

  /** Addresses of actors of a type that have state, a page at a time. */
  List<Address> actors(String type, int offset, int limit);

  /**
   * Puts read-only data every actor can read with {@code shared_get}.
   *
   * @throws InvalidConfigException if the key is empty or longer than 256 bytes of UTF-8
   */
  void putSharedData(String key, byte[] value);

  /** Removes shared data; returns whether it existed. */
  boolean removeSharedData(String key);

  /**
   * Delivers a message forwarded by another node of a cluster (or by a test kit) to its actor on
   * this node. Never throws: what cannot be delivered is counted as a dead letter, and an ask that
   * cannot be delivered is answered UNDELIVERABLE.
   */
  void deliver(Message message);

  /**
   * Completes a request pending on this node ({@link Answer#request()} names this node) with an
   * answer that came from another node. An answer for a request that is no longer pending (answered
   * already, timed out) is dropped.
   */
  void deliver(Answer answer);

  /**
   * Confirms to this node, the owner of {@code sender}, that a message with id {@code messageId}
   * that {@code sender} sent was handled by its receiver on another node of a cluster: the sender
   * stops keeping it to send it again after a failure ({@link
   * io.mayfly.runtime.spi.StateStore#replicated()}). Ignored when this node keeps no such message.
   */
  void confirm(Address sender, String messageId);

  /**
   * Delivers a publication made on another node of a cluster to this node's outside listeners
   * ({@link #subscribe}) and to the actors this node owns that subscribed to a matching filter. Not
   * to the actors of type subscriptions: the publishing node routed it to them. Never throws.
   *
   * @param publisher the publishing actor, or {@code null} for a publication from outside
   * @param trace the span that published, or {@code null}
   */
  void deliverPublication(String topic, byte[] payload, Address publisher, TraceContext trace);

  /**
   * The node's turn recorder: switches recording per type and per actor, and returns the turns it
   * kept, including failed turns kept while recording is off.
   */
  Recorder recorder();

  /** The node's tracing: recent traces, and spans of requests at its edge. */
  Tracing tracing();

  /** The configuration the node was built with. */
  NodeConfig config();

  /** Counters since start. */
  NodeStats stats();

  /**
   * The counters and the actors of each deployed type, in the order of {@link #types()}. Counting a
   * type's stored actors and their bytes looks at every stored actor once, so this costs time in
   * proportion to the node's actors (tens of milliseconds for a million): for a console or an
   * operator, not for every request.
   */
  List<TypeStats> typeStats();

  /**
   * What is broken in this node: empty while it is healthy, else one entry per problem naming what
   * is gone, such as {@code "watchdog thread died: OutOfMemoryError"} (turn deadlines are no longer
   * enforced) or {@code "worker thread mayfly-worker-1 died: OutOfMemoryError"}. A node with
   * problems keeps running what it can; a supervisor should restart it. The HTTP API's {@code
   * /health} answers 503 with these entries.
   */
  List<String> problems();

  /**
   * Stops accepting messages from outside, lets the actors finish what is queued (bounded by the
   * drain timeout), fails asks still pending with {@link NodeClosedException}, and stops.
   */
  @Override
  void close();

  /**
   * Builds a node; {@link #build()} rejects bad values naming them and takes a snapshot of the
   * settings ({@link NodeConfig}): changing the builder afterwards does not change the node.
   */
  final class Builder {
    int workers = Runtime.getRuntime().availableProcessors();
    int batchSize = 32;
    long stateBudgetBytes = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
    long queueBudgetBytes = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8);
    MayflyClock clock = MayflyClock.system();
    StateStore stateStore;
    Placement placement = Placement.local();
    MeterRegistry meterRegistry;
    TurnListener turnListener;
    boolean synchronous;
    Duration watchdogResolution = Duration.ofMillis(5);
    Duration housekeepingInterval = Duration.ofMillis(10);
    Duration workerSpin = Duration.ofNanos(20_000);
    Duration drainTimeout = Duration.ofSeconds(10);
    Duration compileTimeout = Duration.ofSeconds(60);
    int maxModuleBytes = 16 << 20;
    int maxFunctions = 50_000;
    String nodeId = "local";
    int recordTurns = 1000;
    long recordBytes = 16L << 20;
    int recordFailedTurns = 100;
    Duration idempotencyWindow = Duration.ofMinutes(5);
    int idempotencyKeysPerActor = 64;
    long idempotencyBytesPerActor = 256 << 10;
    boolean tracing;
    SpanSink spanSink;
    int keptTraces = 1000;
    long keptTraceBytes = 8L << 20;
    GuestLogLimit guestLogLimit = GuestLogLimit.DEFAULT;
    final Map<String, GuestLogLimit> guestLogLimits = new HashMap<>();

    Builder() {}

    /** CPU workers that run turns (default: available processors). */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Messages an actor handles per activation before yielding its worker (default 32). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Node-wide budget for short-term state, in bytes (default: a quarter of the heap). */
    public Builder stateBudgetBytes(long bytes) {
      this.stateBudgetBytes = bytes;
      return this;
    }

    /**
     * Node-wide budget for bytes of messages waiting in mailboxes (default: an eighth of the heap,
     * at least 16 MiB). Past half of it, each type is held to its share (the budget divided by the
     * deployed types); at the budget every new message is refused ({@link OverloadedException}).
     * Replies, timers and expiry turns are counted but never refused: they are bounded per actor.
     */
    public Builder queueBudgetBytes(long bytes) {
      this.queueBudgetBytes = bytes;
      return this;
    }

    /** The clock for TTLs, timers and ask timeouts (default: the system clock). */
    public Builder clock(MayflyClock clock) {
      this.clock = clock;
      return this;
    }

    /** Where state lives (default: in memory on Caffeine, bounded by the budget). */
    public Builder stateStore(StateStore store) {
      this.stateStore = store;
      return this;
    }

    /** Which node runs which actor (default: this one runs all). */
    public Builder placement(Placement placement) {
      this.placement = placement;
      return this;
    }

    /** Where to register metrics (default: none). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /** Observes every turn (the test kit uses it). */
    public Builder turnListener(TurnListener listener) {
      this.turnListener = listener;
      return this;
    }

    /**
     * Runs turns on the thread that sends the message (or advances a manual clock) instead of on
     * workers, to completion, in a deterministic order. For tests.
     */
    public Builder synchronous(boolean synchronous) {
      this.synchronous = synchronous;
      return this;
    }

    /** How often turn deadlines are checked (default 5 ms). */
    public Builder watchdogResolution(Duration resolution) {
      this.watchdogResolution = resolution;
      return this;
    }

    /** How often timers and TTL expiry are processed on a system clock (default 10 ms). */
    public Builder housekeepingInterval(Duration interval) {
      this.housekeepingInterval = interval;
      return this;
    }

    /**
     * How long the last worker awake keeps looking for work before it sleeps (default 20 µs; zero:
     * sleep at once). A message that arrives meanwhile starts without waiting for a sleeping thread
     * to wake, which takes tens of microseconds on virtual machines; the price is up to this much
     * CPU time after each burst of work. Only one worker spins, and only while the others sleep.
     */
    public Builder workerSpin(Duration spin) {
      this.workerSpin = spin;
      return this;
    }

    /** How long {@link Mayfly#close()} waits for queued messages (default 10 s). */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = timeout;
      return this;
    }

    /** How long compiling one module may take before the deploy is refused (default 60 s). */
    public Builder compileTimeout(Duration timeout) {
      this.compileTimeout = timeout;
      return this;
    }

    /** Largest module accepted (default 16 MiB). */
    public Builder maxModuleBytes(int bytes) {
      this.maxModuleBytes = bytes;
      return this;
    }

    /** Most functions a module may declare (default 50 000). */
    public Builder maxFunctions(int functions) {
      this.maxFunctions = functions;
      return this;
    }

    /**
     * This node's id (1-32 characters of {@code [A-Za-z0-9_.-]}, default {@code local}): names the
     * node in request refs and reply handles, so it must be unique within a cluster.
     */
    public Builder nodeId(String id) {
      this.nodeId = id;
      return this;
    }

    /**
     * Most turns the {@linkplain Mayfly#recorder() recorder} keeps per type while recording is on
     * (default 1000); older turns are dropped first.
     */
    public Builder recordTurns(int turns) {
      this.recordTurns = turns;
      return this;
    }

    /**
     * Most bytes of recorded turns kept per type, as estimated from their payloads, states and
     * effects (default 16 MiB); older turns are dropped first.
     */
    public Builder recordBytes(long bytes) {
      this.recordBytes = bytes;
      return this;
    }

    /**
     * Most failed turns kept per type while recording is off (default 100; 0 keeps none), so the
     * first failure in production can be replayed.
     */
    public Builder recordFailedTurns(int turns) {
      this.recordFailedTurns = turns;
      return this;
    }

    /**
     * How long an actor remembers the idempotency key of a message it handled (default 5 min): a
     * tell or ask sent again with the same key within it is not handled again. Long enough for a
     * client to retry with backoff across a restart or a cluster failover; short enough that the
     * keys of a busy actor stay few. The ids are part of the actor's state: they outlive its own
     * state's TTL, but not an eviction or an undeploy.
     */
    public Builder idempotencyWindow(Duration window) {
      this.idempotencyWindow = window;
      return this;
    }

    /**
     * Traces messages (default off): every turn is a span of the trace its message carries (a new
     * trace when it carries none), everything the turn sends carries the turn's span, and the node
     * keeps its recent traces ({@link Mayfly#tracing()}). Off, messages carry no trace context and
     * turns pay nothing for it.
     */
    public Builder tracing(boolean tracing) {
      this.tracing = tracing;
      return this;
    }

    /**
     * Most idempotency keys an actor remembers at once (default 64); beyond it, the keys closest to
     * the end of their window are forgotten first.
     */
    public Builder idempotencyKeysPerActor(int keys) {
      this.idempotencyKeysPerActor = keys;
      return this;
    }

    /**
     * Also sends every finished span to {@code sink}, such as an OpenTelemetry exporter; setting
     * one turns tracing on. {@code null} (the default) exports nothing.
     */
    public Builder spanSink(SpanSink sink) {
      this.spanSink = sink;
      return this;
    }

    /** Most recent traces kept while tracing (default 1000); the oldest leave first. */
    public Builder keptTraces(int traces) {
      this.keptTraces = traces;
      return this;
    }

    /**
     * Most bytes of remembered keys and ask replies per actor (default 256 KiB; each key counts its
     * length, its reply and 64 bytes); beyond it, the keys closest to the end of their window are
     * forgotten first. The newest key is always kept, so one reply larger than this still is. These
     * bytes count against the node's state budget, not against the type's maxStateBytes.
     */
    public Builder idempotencyBytesPerActor(long bytes) {
      this.idempotencyBytesPerActor = bytes;
      return this;
    }

    /**
     * Most bytes of recent traces kept while tracing, as estimated from their spans (default 8
     * MiB); the oldest traces leave first.
     */
    public Builder keptTraceBytes(long bytes) {
      this.keptTraceBytes = bytes;
      return this;
    }

    /**
     * How many lines each actor may write to the log through the ABI's {@code log} (default 20 a
     * second, bursts of 100); lines past it are dropped, counted and summarized.
     */
    public Builder guestLogLimit(GuestLogLimit limit) {
      this.guestLogLimit = limit;
      return this;
    }

    /** The guest log limit of the actors of one type, in place of the node's. */
    public Builder guestLogLimit(String type, GuestLogLimit limit) {
      check(type != null && limit != null, "a type's guest log limit needs a type and a limit");
      this.guestLogLimits.put(type, limit);
      return this;
    }

    /** Starts the node with a snapshot of these settings. */
    public Mayfly build() {
      return Node.start(snapshot());
    }

    /**
     * The settings as they are now, checked as {@link #build()} checks them: what a node built now
     * would run with. A cluster member reads the clock and the state budget from it to build the
     * store it then sets on this builder.
     *
     * @throws InvalidConfigException naming the first bad value
     */
    public NodeConfig settings() {
      return snapshot();
    }

    /** The settings as they are now, checked. */
    NodeConfig snapshot() {
      check(workers >= 1 && workers <= 1024, "workers must be in 1..1024, was " + workers);
      check(batchSize >= 1, "batchSize must be positive, was " + batchSize);
      check(
          stateBudgetBytes >= 1 << 16,
          "stateBudgetBytes must be at least 65536, was " + stateBudgetBytes);
      check(
          queueBudgetBytes >= 1 << 16,
          "queueBudgetBytes must be at least 65536, was " + queueBudgetBytes);
      check(clock != null, "clock is required");
      check(placement != null, "placement is required");
      positive("watchdogResolution", watchdogResolution);
      positive("housekeepingInterval", housekeepingInterval);
      check(
          workerSpin != null
              && !workerSpin.isNegative()
              && workerSpin.compareTo(Duration.ofMillis(10)) <= 0,
          "workerSpin must be between 0 and 10ms, was " + Durations.show(workerSpin));
      positive("drainTimeout", drainTimeout);
      positive("compileTimeout", compileTimeout);
      check(maxModuleBytes >= 8, "maxModuleBytes must be at least 8, was " + maxModuleBytes);
      check(maxFunctions >= 1, "maxFunctions must be positive, was " + maxFunctions);
      check(
          nodeId != null && nodeId.matches("[A-Za-z0-9_.-]{1,32}"),
          "nodeId must be 1-32 characters of [A-Za-z0-9_.-], was " + nodeId);
      check(recordTurns >= 1, "recordTurns must be positive, was " + recordTurns);
      check(recordBytes >= 1 << 16, "recordBytes must be at least 65536, was " + recordBytes);
      check(
          recordFailedTurns >= 0,
          "recordFailedTurns must not be negative, was " + recordFailedTurns);
      positive("idempotencyWindow", idempotencyWindow);
      check(
          idempotencyWindow.compareTo(Duration.ofDays(365)) <= 0,
          "idempotencyWindow must be at most 365d, was " + Durations.show(idempotencyWindow));
      check(
          idempotencyKeysPerActor >= 1,
          "idempotencyKeysPerActor must be positive, was " + idempotencyKeysPerActor);
      check(
          idempotencyBytesPerActor >= 1024,
          "idempotencyBytesPerActor must be at least 1024, was " + idempotencyBytesPerActor);
      check(keptTraces >= 1, "keptTraces must be positive, was " + keptTraces);
      check(
          keptTraceBytes >= 1 << 16,
          "keptTraceBytes must be at least 65536, was " + keptTraceBytes);
      check(guestLogLimit != null, "guestLogLimit is required");
      return new NodeConfig(
          workers,
          batchSize,
          stateBudgetBytes,
          queueBudgetBytes,
          clock,
          stateStore,
          placement,
          meterRegistry,
          turnListener,
          synchronous,
          watchdogResolution,
          housekeepingInterval,
          workerSpin,
          drainTimeout,
          compileTimeout,
          maxModuleBytes,
          maxFunctions,
          nodeId,
          recordTurns,
          recordBytes,
          recordFailedTurns,
          idempotencyWindow,
          idempotencyKeysPerActor,
          idempotencyBytesPerActor,
          tracing || spanSink != null,
          spanSink,
          keptTraces,
          keptTraceBytes,
          guestLogLimit,
          guestLogLimits);
    }

    private static void positive(String name, Duration d) {
      check(
          d != null && !d.isNegative() && !d.isZero(),
          name + " must be a positive duration, was " + Durations.show(d));
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidConfigException(message);
      }
    }
  }
}
