package io.mayfly.runtime;

import io.mayfly.runtime.TypeRegistry.TypeVersion;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.Placement;
import io.mayfly.runtime.spi.StateEntry;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.Watchdog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The node behind {@link Mayfly}: a facade that wires the parts, each with one job and tests of its
 * own, and keeps the node's lifecycle.
 *
 * <ul>
 *   <li>{@link TypeRegistry}: deployed types, compiled modules, instance pools.
 *   <li>{@link Router}: ingress checks, local delivery into mailboxes ({@link ActorCell}) or
 *       forwarding through the {@link Placement}, answers to requests.
 *   <li>{@link Requests}: asks waiting for their answer, by {@link RequestRef}, with timeouts.
 *   <li>{@link TurnRunner}: one message as a turn ({@link Turn}) under the turn deadline.
 *   <li>{@link Committer}: a turn's state to the {@link StateStore}, its effects out behind the
 *       store's output gate; or its rollback.
 *   <li>{@link ActorTimers}, {@link Timers}, {@link Housekeeper}: timers, ask timeouts, expiry.
 *   <li>{@link TopicBus}: who hears a publication.
 * </ul>
 *
 * <p>Everything an actor owns is in its state, so when the placement reports that this node gained
 * actors, the node re-arms their timers and subscriptions from the store; when it lost them, it
 * forgets their subscriptions and hands their queued messages on.
 */
final class Node implements Mayfly, NodeMetrics.Figures {
  private final NodeConfig config;
  private final MayflyClock clock;
  private final StateStore store;
  private final Placement placement;
  private final Watchdog watchdog;
  private final Dispatcher dispatcher;
  private final Timers timers = new Timers();
  private final TopicBus bus = new TopicBus();
  private final ConcurrentHashMap<String, byte[]> shared = new ConcurrentHashMap<>();
  private final NodeMetrics metrics;
  private final TypeRegistry registry;
  private final Requests requests;
  private final Router router;
  private final ActorTimers actorTimers;
  private final FailureLog failures = new FailureLog();
  private final TurnRecorder recorder;
  private final Housekeeper housekeeper;

  /** Messages between actors kept until confirmed; {@code null} unless the store replicates. */
  private final Outbox outbox;

  private final AtomicBoolean closing = new AtomicBoolean();

  /** The node's tracing, or {@code null} while it is off. */
  private final NodeTracing tracing;

  private Node(NodeConfig config) {
    this.config = config;
    this.clock = config.clock();
    this.store =
        config.stateStore() != null
            ? config.stateStore()
            : StateStore.inMemory(clock, config.stateBudgetBytes());
    this.placement = config.placement();
    this.watchdog = Watchdog.start(config.watchdogResolution(), Threads.daemon("watchdog"));
    this.dispatcher =
        config.synchronous()
            ? Dispatcher.callingThread()
            : Dispatcher.workers(config.workers(), config.workerSpin());
    this.metrics = new NodeMetrics(config.meterRegistry(), this);
    this.recorder = new TurnRecorder(config);
    this.tracing = config.tracing() ? new NodeTracing(config) : null;
    this.registry = new TypeRegistry(config, watchdog, metrics, recorder);
    // Router and Requests need each other: replies to actors go through the router.
    Router[] routerRef = new Router[1];
    var idempotency = new Idempotency(config, store, metrics, a -> routerRef[0].answer(a));
    this.requests =
        new Requests(
            config.nodeId(),
            NodeEnvironment.firstId(clock.isManual()),
            timers,
            reply -> routerRef[0].send(reply));
    this.router = new Router(config, registry, requests, bus, metrics, dispatcher, idempotency);
    routerRef[0] = router;
    this.actorTimers = new ActorTimers(timers, store, placement::isLocal, router::send);
    this.housekeeper = new Housekeeper(config, timers, store, metrics);
    this.outbox = store.replicated() ? new Outbox(config, store, requests, router) : null;
    if (outbox != null) {
      idempotency.onDuplicate(outbox::handled);
    }
    var committer =
        new Committer(
            config,
            store,
            router,
            requests,
            actorTimers,
            bus,
            metrics,
            failures,
            idempotency,
            new GuestLogLimiter(
                config, (actor, summary) -> GuestLogLimiter.summarize(actor, null, summary)),
            outbox);
    var env =
        new NodeEnvironment(clock.isManual(), shared, requests, placement == Placement.local());
    router.bind(
        new TurnRunner(
            config,
            store,
            registry,
            router,
            committer,
            bus,
            env,
            metrics,
            housekeeper,
            watchdog,
            idempotency,
            tracing));
    housekeeper.start(router, this::hasExpiryHandler);
    placement.start(new Ownership());
  }

  /** Starts a node with a snapshot of the builder's settings. */
  static Node start(NodeConfig config) {
    return new Node(config);
  }

  private boolean hasExpiryHandler(String type) {
    TypeVersion tv = registry.get(type);
    return tv != null && tv.module().info().hasExpiryHandler();
  }

  /** How the placement tells this node about ownership changes. */
  private final class Ownership implements Placement.Ownership {
    @Override
    public void gained(Predicate<Address> actors) {
      store.forEach(
          actors,
          (address, state) -> {
            actorTimers.rearm(address, state);
            for (String filter : state.subscriptions()) {
              bus.subscribe(address, filter);
            }
          });
      if (outbox != null) {
        outbox.gained(actors);
      }
    }

    @Override
    public void lost(Predicate<Address> actors) {
      bus.unsubscribeIf(actors);
      if (outbox != null) {
        outbox.lost(actors);
      }
    }
  }

  @Override
  public Recorder recorder() {
    return recorder;
  }

  @Override
  public Tracing tracing() {
    return tracing == null ? NodeTracing.OFF : tracing;
  }

  @Override
  public NodeConfig config() {
    return config;
  }

  // ---- types ------------------------------------------------------------------------------

  @Override
  public TypeInfo deploy(String type, byte[] module, TypeConfig typeConfig) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(typeConfig, "typeConfig");
    checkOpen();
    TypeVersion tv = registry.deploy(type, module, typeConfig);
    bus.setTypeSubscriptions(type, typeConfig.subscriptions());
    return tv.info();
  }

  @Override
  public boolean undeploy(String type) {
    TypeVersion old = registry.undeploy(type);
    if (old == null) {
      return false;
    }
    bus.removeType(type);
    store.removeType(type);
    failures.forget(type);
    return true;
  }

  @Override
  public List<TypeInfo> types() {
    return registry.infos();
  }

  @Override
  public Optional<TypeInfo> type(String type) {
    return registry.info(type);
  }

  // ---- messages ---------------------------------------------------------------------------

  /** The address and payload of a message from outside: neither may be null. */
  private static void requireMessage(Address to, byte[] payload) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(payload, "payload");
  }

  private void checkOpen() {
    if (closing.get()) {
      throw new NodeClosedException("the node is shutting down and accepts no new messages");
    }
  }

  /** {@link #checkOpen()}, counting a refused message as rejected. */
  private void checkOpenCounted() {
    try {
      checkOpen();
    } catch (NodeClosedException e) {
      metrics.rejected.increment();
      throw e;
    }
  }

  @Override
  public void tell(Address to, byte[] payload, String idempotencyKey, TraceContext trace) {
    requireMessage(to, payload);
    checkOpenCounted();
    router.tell(to, payload, idempotencyKey, trace);
  }

  @Override
  public CompletionStage<Void> tellConfirmed(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace) {
    requireMessage(to, payload);
    checkOpenCounted();
    return router.tellConfirmed(to, payload, timeout, idempotencyKey, clock.nanoTime(), trace);
  }

  @Override
  public CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace) {
    requireMessage(to, payload);
    if (closing.get()) {
      metrics.rejected.increment();
      return java.util.concurrent.CompletableFuture.failedStage(
          new NodeClosedException("the node is shutting down and accepts no new messages"));
    }
    return router.ask(to, payload, timeout, idempotencyKey, clock.nanoTime(), trace);
  }

  @Override
  public void publish(String topic, byte[] payload, TraceContext trace) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    checkOpen();
    Topics.checkTopic(topic);
    router.publish(null, topic, payload, trace);
  }

  @Override
  public Subscription subscribe(String filter, TopicListener listener) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(listener, "listener");
    return bus.listen(filter, listener);
  }

  @Override
  public void deliver(Message message) {
    router.send(message);
  }

  @Override
  public void deliver(Answer answer) {
    router.answer(answer);
  }

  @Override
  public void confirm(Address sender, String messageId) {
    if (outbox != null && placement.isLocal(sender)) {
      outbox.confirm(sender, messageId); // not passed on: the message is sent again, and dropped
    }
  }

  @Override
  public void deliverPublication(
      String topic, byte[] payload, Address publisher, TraceContext trace) {
    router.publishFromElsewhere(publisher, topic, payload, trace);
  }

  // ---- inspection -------------------------------------------------------------------------

  @Override
  public Optional<ActorSnapshot> state(Address address) {
    ActorState s = store.peek(address);
    long now = clock.nanoTime();
    if (s == null || s.droppedAt(now) || s.onlyHandled()) {
      return Optional.empty();
    }
    Map<String, ActorSnapshot.Entry> entries = new LinkedHashMap<>();
    for (var e : s.entries().entrySet()) {
      StateEntry entry = e.getValue();
      if (!entry.expiredAt(now)) {
        Duration remaining =
            entry.expiresAtNanos() == Long.MAX_VALUE
                ? null
                : Duration.ofNanos(entry.expiresAtNanos() - now);
        entries.put(e.getKey(), new ActorSnapshot.Entry(entry.value(), remaining));
      }
    }
    Duration remaining =
        s.dropAtNanos() == Long.MAX_VALUE ? null : Duration.ofNanos(s.dropAtNanos() - now);
    return Optional.of(
        new ActorSnapshot(address, entries, remaining, s.timers().size(), s.subscriptions()));
  }

  @Override
  public List<Address> actors(String type, int offset, int limit) {
    return new ArrayList<>(store.addresses(type, Math.max(0, offset), Math.max(0, limit)));
  }

  @Override
  public void putSharedData(String key, byte[] value) {
    Objects.requireNonNull(value, "value");
    if (key == null
        || key.isEmpty()
        || key.getBytes(StandardCharsets.UTF_8).length > GuestInstance.MAX_KEY_BYTES) {
      throw new InvalidConfigException(
          "shared data key must be 1-"
              + GuestInstance.MAX_KEY_BYTES
              + " bytes of UTF-8, was "
              + key);
    }
    shared.put(key, value.clone());
  }

  @Override
  public boolean removeSharedData(String key) {
    return shared.remove(key) != null;
  }

  @Override
  public NodeStats stats() {
    return metrics.stats(this);
  }

  @Override
  public List<TypeStats> typeStats() {
    List<TypeInfo> types = types();
    // Per type: stored actors and their bytes, counted in one pass over the store.
    Map<String, long[]> stored = new HashMap<>();
    types.forEach(t -> stored.put(t.type(), new long[2]));
    store.forEach(
        a -> stored.containsKey(a.type()),
        (a, state) -> {
          long[] counts = stored.get(a.type());
          counts[0]++;
          counts[1] += state.weight();
        });
    Map<String, Long> active = router.activeActorsByType();
    var out = new ArrayList<TypeStats>(types.size());
    for (TypeInfo t : types) {
      long[] counts = stored.get(t.type());
      out.add(metrics.typeStats(t.type(), active.getOrDefault(t.type(), 0L), counts[0], counts[1]));
    }
    return out;
  }

  /** The node's dispatcher (tests reach the workers through it). */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public List<String> problems() {
    return java.util.stream.Stream.concat(
            watchdog.problems().stream(), dispatcher.problems().stream())
        .toList();
  }

  @Override
  public long activeActors() {
    return router.activeActors();
  }

  @Override
  public long storedActors() {
    return store.actorCount();
  }

  @Override
  public long stateBytes() {
    return store.weightedBytes();
  }

  @Override
  public long pendingAsks() {
    return requests.size();
  }

  @Override
  public long pendingTimers() {
    return timers.size();
  }

  // ---- shutdown ---------------------------------------------------------------------------

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while ((metrics.queued() > 0 || !router.idle()) && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
    requests.failAll(new NodeClosedException("the node closed before the reply arrived"));
    housekeeper.close();
    dispatcher.shutdown(Duration.ofSeconds(1));
    registry.close();
    watchdog.close();
    if (tracing != null) {
      tracing.close();
    }
  }
}
