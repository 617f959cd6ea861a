package io.mayfly.runtime.internal;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.ActorState;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.DeployException;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.MessageTooLargeException;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Placement;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.StateEntry;
import io.mayfly.runtime.StateStore;
import io.mayfly.runtime.Subscription;
import io.mayfly.runtime.TopicListener;
import io.mayfly.runtime.Topics;
import io.mayfly.runtime.TurnListener;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.runtime.UnknownActorTypeException;
import io.mayfly.wasm.ActorModule;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.GuestMemoryExhaustedException;
import io.mayfly.wasm.GuestTrapException;
import io.mayfly.wasm.InstancePool;
import io.mayfly.wasm.MayflyException;
import io.mayfly.wasm.ModuleLimits;
import io.mayfly.wasm.TurnTimeoutException;
import io.mayfly.wasm.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** The embedded node: the implementation behind {@link Mayfly}. */
public final class Node implements Mayfly {
  private static final System.Logger LOG = System.getLogger(Node.class.getName());

  /** A deployed version of a type: its compiled module, instance pool and configuration. */
  record TypeVersion(TypeInfo info, ActorModule module, InstancePool pool) {
    TypeConfig config() {
      return info.config();
    }
  }

  private record Drop(Address address, ActorState state) {}

  private final Mayfly.Builder settings;
  private final MayflyClock clock;

  /** Whether {@link #clock} reads {@link System#nanoTime()}, as the watchdog does. */
  private final boolean systemClock;

  private final StateStore store;
  private final Placement placement;
  private final TurnListener turnListener;
  private final Dispatcher dispatcher;
  private final Watchdog watchdog;
  private final ThreadLocal<Watchdog.Slot> slots;
  private final Timers timers = new Timers();
  private final Replies replies;
  private final TopicBus bus = new TopicBus();
  private final NodeMetrics metrics;
  private final ConcurrentHashMap<String, TypeVersion> types = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Address, ActorCell> cells = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, byte[]> shared = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Drop> drops = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ExecutorService compiler;
  private final Runnable housekeeping = this::housekeep;
  private final java.util.function.LongSupplier nextDue = timers::nextDue;
  private final Thread housekeeper;
  private final Object deployLock = new Object();

  /**
   * Deploys and undeploys so far: workers let go of their instances of old versions when it moves.
   */
  private volatile int typesEpoch;

  private Node(Mayfly.Builder b) {
    this.settings = b;
    this.clock = b.clock();
    this.systemClock = clock == MayflyClock.system();
    this.store =
        b.stateStore() != null ? b.stateStore() : StateStore.inMemory(clock, b.stateBudgetBytes());
    this.placement = b.placement();
    this.turnListener = b.turnListener();
    this.watchdog = Watchdog.start(b.watchdogResolution(), Threads.daemon("watchdog"));
    this.slots = ThreadLocal.withInitial(() -> watchdog.register(Thread.currentThread()));
    this.dispatcher =
        b.synchronous()
            ? Dispatcher.callingThread()
            : Dispatcher.workers(b.workers(), b.workerSpin());
    this.replies = new Replies(b.nodeId(), this::deliverReply, timers);
    this.metrics = new NodeMetrics(b.meterRegistry(), this);
    this.compiler = Executors.newThreadPerTaskExecutor(Threads.daemon("compiler"));
    store.onDrop(this::dropped);
    if (clock instanceof ManualClock manual) {
      manual.onAdvance(housekeeping, nextDue);
      this.housekeeper = null;
    } else {
      this.housekeeper = Threads.daemon("housekeeping").newThread(this::housekeepingLoop);
      housekeeper.start();
    }
  }

  /** Starts a node with the builder's settings. */
  public static Node start(Mayfly.Builder builder) {
    return new Node(builder);
  }

  // ---- accessors for cells and turns -------------------------------------------------------

  Dispatcher dispatcher() {
    return dispatcher;
  }

  int batchSize() {
    return settings.batchSize();
  }

  StateStore store() {
    return store;
  }

  long activeActors() {
    return cells.size();
  }

  long pendingAsks() {
    return replies.size();
  }

  long pendingTimers() {
    return timers.size();
  }

  void queued(int delta) {
    metrics.queued.add(delta);
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  byte[] replyHandle(long requestId) {
    return replies.handle(requestId);
  }

  long parseReplyHandle(byte[] handle) {
    return replies.parseHandle(handle);
  }

  boolean isPendingRequest(long requestId) {
    return replies.isPending(requestId);
  }

  byte[] sharedData(String key) {
    return shared.get(key);
  }

  // ---- housekeeping -----------------------------------------------------------------------

  private void housekeepingLoop() {
    long interval = settings.housekeepingInterval().toNanos();
    while (!closing.get()) {
      LockSupport.parkNanos(interval);
      if (closing.get()) {
        return;
      }
      housekeep();
    }
  }

  /** Fires due timers and ask timeouts, expires state, and starts expiry turns. */
  private void housekeep() {
    try {
      timers.advanceTo(clock.nanoTime());
      store.runMaintenance();
      drainDrops();
    } catch (RuntimeException | Error e) {
      // Housekeeping must outlive a bug in one action; the error is logged with its cause.
      LOG.log(System.Logger.Level.ERROR, "housekeeping failed", e);
    }
  }

  private void dropped(Address address, ActorState state, StateStore.DropCause cause) {
    if (cause == StateStore.DropCause.EXPIRED) {
      metrics.expirations.increment();
    } else {
      metrics.evictions.increment();
    }
    drops.add(new Drop(address, state));
  }

  /**
   * Expiry turns are started here, after the store's maintenance returned, never from inside the
   * store's listener.
   */
  private void drainDrops() {
    Drop d;
    while ((d = drops.poll()) != null) {
      // A fresh actor may already live at this address (a message came after the TTL but
      // before the store dropped the old state): keep the subscriptions it holds now.
      ActorState current = store.peek(d.address);
      for (String filter : d.state.subscriptions()) {
        if (current == null || !current.subscriptions().contains(filter)) {
          bus.unsubscribe(d.address, filter);
        }
      }
      TypeVersion tv = types.get(d.address.type());
      if (tv != null && tv.module().info().hasExpiryHandler()) {
        var m =
            new Message(
                d.address, MessageKind.EXPIRE, new byte[0], null, 0, ReplyStatus.OK, null, 0);
        enqueue(m, d.state, Integer.MAX_VALUE);
      }
    }
  }

  // ---- deploy -----------------------------------------------------------------------------

  @Override
  public TypeInfo deploy(String type, byte[] module, TypeConfig config) {
    checkOpen();
    Address.checkType(type);
    var limits =
        new ModuleLimits(
            settings.maxModuleBytes(), settings.maxFunctions(), config.maxMemoryPages());
    Future<Compiled> compiled =
        compiler.submit(() -> compile(module, limits, config.turnTimeout()));
    Compiled c;
    try {
      c = compiled.get(settings.compileTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      compiled.cancel(true);
      throw new DeployException(
          "compiling the module for type '"
              + type
              + "' took longer than "
              + settings.compileTimeout()
              + "; the module is too large or complex for this node");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MayflyException m) {
        throw m;
      }
      throw new DeployException(
          "compiling the module for type '" + type + "' failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while deploying type '" + type + "'", e);
    }
    synchronized (deployLock) {
      checkOpen();
      TypeVersion old = types.get(type);
      int version = old == null ? 1 : old.info().version() + 1;
      var info = new TypeInfo(type, version, c.module.info(), config);
      var pool = InstancePool.create(c.module, Math.max(2, settings.workers()));
      pool.release(c.probe);
      types.put(type, new TypeVersion(info, c.module, pool));
      bus.setTypeSubscriptions(type, config.subscriptions());
      if (old != null) {
        old.pool().clear();
      }
      typesEpoch++;
      LOG.log(
          System.Logger.Level.INFO,
          "deployed "
              + type
              + " v"
              + version
              + " ("
              + c.module.info().sizeBytes()
              + " bytes, sha256 "
              + c.module.info().sha256()
              + ")");
      return info;
    }
  }

  private record Compiled(ActorModule module, GuestInstance probe) {}

  private Compiled compile(byte[] bytes, ModuleLimits limits, Duration startDeadline) {
    ActorModule module = ActorModule.compile(bytes, limits);
    try (Watchdog.Slot slot = watchdog.register(Thread.currentThread())) {
      slot.arm(startDeadline);
      try {
        return new Compiled(module, module.probe());
      } catch (TurnTimeoutException e) {
        throw new TurnTimeoutException(
            "the module's start code did not finish within the turn deadline of " + startDeadline,
            e);
      } finally {
        slot.disarm();
      }
    }
  }

  @Override
  public boolean undeploy(String type) {
    TypeVersion old;
    synchronized (deployLock) {
      old = types.remove(type);
      typesEpoch++;
    }
    if (old == null) {
      return false;
    }
    bus.removeType(type);
    store.removeType(type);
    old.pool().clear();
    return true;
  }

  @Override
  public List<TypeInfo> types() {
    return types.values().stream().map(TypeVersion::info).toList();
  }

  @Override
  public Optional<TypeInfo> type(String type) {
    return Optional.ofNullable(types.get(type)).map(TypeVersion::info);
  }

  private TypeVersion requireType(String type) {
    TypeVersion tv = types.get(type);
    if (tv == null) {
      throw new UnknownActorTypeException("actor type '" + type + "' is not deployed");
    }
    return tv;
  }

  // ---- ingress ----------------------------------------------------------------------------

  private void checkOpen() {
    if (closing.get()) {
      throw new NodeClosedException("the node is shutting down and accepts no new messages");
    }
  }

  private TypeVersion checkIngress(Address to, byte[] payload) {
    try {
      checkOpen();
      TypeVersion tv = requireType(to.type());
      if (payload.length > tv.config().maxMessageBytes()) {
        throw new MessageTooLargeException(
            "message of "
                + payload.length
                + " bytes is larger than the limit of "
                + tv.config().maxMessageBytes()
                + " bytes for type '"
                + to.type()
                + "'");
      }
      return tv;
    } catch (MayflyException e) {
      metrics.rejected.increment();
      throw e;
    }
  }

  @Override
  public void tell(Address to, byte[] payload) {
    TypeVersion tv = checkIngress(to, payload);
    deliverOrThrow(Message.tell(to, payload, null), tv);
  }

  private void deliverOrThrow(Message m, TypeVersion tv) {
    if (!placement.isLocal(m.target())) {
      placement.forward(m);
      return;
    }
    if (enqueue(m, null, tv.config().mailboxCapacity()) != ActorCell.Offer.ACCEPTED) {
      metrics.rejected.increment();
      throw new MailboxFullException(
          "mailbox of " + m.target() + " is full (" + tv.config().mailboxCapacity() + " messages)");
    }
  }

  @Override
  public CompletionStage<byte[]> ask(Address to, byte[] payload, Duration timeout) {
    var future = new CompletableFuture<byte[]>();
    try {
      TypeVersion tv = checkIngress(to, payload);
      Duration t = timeout == null ? tv.config().askTimeout() : timeout;
      long id =
          replies.register(new Replies.External(to, future, t), clock.nanoTime() + t.toNanos());
      var m = new Message(to, MessageKind.ASK, payload, null, 0, ReplyStatus.OK, null, id);
      try {
        deliverOrThrow(m, tv);
      } catch (MayflyException e) {
        replies.fail(id, ReplyStatus.UNDELIVERABLE, e);
      }
    } catch (MayflyException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  @Override
  public void publish(String topic, byte[] payload) {
    checkOpen();
    Topics.checkTopic(topic);
    publishFrom(null, topic, payload);
  }

  private void publishFrom(Address publisher, String topic, byte[] payload) {
    for (Address target : bus.publish(topic, payload, publisher)) {
      var m =
          new Message(
              target, MessageKind.PUBLICATION, payload, publisher, 0, ReplyStatus.OK, topic, 0);
      deliverInternal(m);
    }
  }

  @Override
  public Subscription subscribe(String filter, TopicListener listener) {
    return bus.listen(filter, listener);
  }

  @Override
  public void deliver(Message message) {
    if (message.kind() == MessageKind.REPLY && message.requestId() != 0) {
      answer(message);
      return;
    }
    TypeVersion tv = types.get(message.target().type());
    int capacity =
        switch (message.kind()) {
          case TELL, ASK, PUBLICATION ->
              tv == null ? Integer.MAX_VALUE : tv.config().mailboxCapacity();
          default -> Integer.MAX_VALUE;
        };
    if (enqueue(message, null, capacity) != ActorCell.Offer.ACCEPTED) {
      undeliverable(message, "mailbox of " + message.target() + " is full");
    }
  }

  /** Answers a request pending on this node with a REPLY that names it. */
  private void answer(Message reply) {
    switch (reply.replyStatus()) {
      case OK -> replies.complete(reply.requestId(), reply.payload());
      case TIMEOUT -> replies.timeout(reply.requestId());
      case FAILED ->
          replies.failTurn(
              reply.requestId(),
              "guest_error",
              new String(reply.payload(), java.nio.charset.StandardCharsets.UTF_8));
      case UNDELIVERABLE ->
          replies.fail(
              reply.requestId(),
              ReplyStatus.UNDELIVERABLE,
              new Undeliverable(
                  new String(reply.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  /** Delivers a message between actors: never throws; what cannot be delivered is dead. */
  private void deliverInternal(Message m) {
    if (!placement.isLocal(m.target())) {
      try {
        placement.forward(m);
      } catch (MayflyException e) {
        undeliverable(m, e.getMessage());
      }
      return;
    }
    TypeVersion tv = types.get(m.target().type());
    if (tv == null) {
      undeliverable(m, "actor type '" + m.target().type() + "' is not deployed");
      return;
    }
    if (m.payload().length > tv.config().maxMessageBytes()) {
      undeliverable(
          m,
          "message larger than the limit of "
              + tv.config().maxMessageBytes()
              + " bytes of "
              + m.target().type());
      return;
    }
    boolean system = m.kind() == MessageKind.REPLY || m.kind() == MessageKind.TIMER;
    int capacity = system ? Integer.MAX_VALUE : tv.config().mailboxCapacity();
    if (enqueue(m, null, capacity) != ActorCell.Offer.ACCEPTED) {
      undeliverable(m, "mailbox of " + m.target() + " is full");
    }
  }

  private void undeliverable(Message m, String reason) {
    metrics.deadLetters.increment();
    if (m.kind() == MessageKind.ASK) {
      replies.fail(m.requestId(), ReplyStatus.UNDELIVERABLE, new Undeliverable(reason));
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "undeliverable " + m.kind() + " to " + m.target() + ": " + reason);
  }

  /** Why an ask could not be delivered, as the asker sees it. */
  private static final class Undeliverable extends MayflyException {
    private static final long serialVersionUID = 1L;

    Undeliverable(String message) {
      super(message);
    }

    @Override
    public String code() {
      return "undeliverable";
    }
  }

  private void deliverReply(Replies.FromActor to, ReplyStatus status, byte[] payload) {
    var m =
        new Message(
            to.asker(),
            MessageKind.REPLY,
            payload,
            to.target(),
            to.correlationId(),
            status,
            null,
            0);
    deliverInternal(m);
  }

  private ActorCell.Offer enqueue(Message m, ActorState expiring, int capacity) {
    long at = metrics.timing() ? System.nanoTime() : 0;
    var envelope = new Envelope(m, expiring, at);
    for (; ; ) {
      ActorCell cell = cells.get(m.target());
      if (cell == null) {
        ActorCell fresh = new ActorCell(m.target(), this);
        cell = cells.putIfAbsent(m.target(), fresh);
        if (cell == null) {
          cell = fresh;
          metrics.activations.increment();
        }
      }
      ActorCell.Offer offer = cell.offer(envelope, capacity);
      if (offer != ActorCell.Offer.RETIRED) {
        return offer;
      }
      Thread.onSpinWait();
    }
  }

  void retire(ActorCell cell) {
    cells.remove(cell.address, cell);
  }

  // ---- turns ------------------------------------------------------------------------------

  /** Returns a batch's instance to its type's pool, unless the type was redeployed since. */
  void release(Address address, GuestInstance guest) {
    if (guest == null) {
      return;
    }
    TypeVersion tv = types.get(address.type());
    if (tv != null && tv.module() == guest.module()) {
      tv.pool().release(guest);
    }
  }

  /**
   * Runs one message as a turn and commits or discards it.
   *
   * @param guest the instance the cell holds for its batch, or {@code null}
   * @return the instance to keep for the next message of the batch, or {@code null}
   */
  GuestInstance runTurn(Address address, Envelope envelope, GuestInstance guest) {
    Message m = envelope.message();
    TypeVersion tv = types.get(address.type());
    if (tv == null) {
      undeliverable(m, "actor type '" + address.type() + "' is not deployed");
      return guest;
    }
    boolean expiry = m.kind() == MessageKind.EXPIRE;
    long now = clock.nanoTime();
    ActorState before = expiry ? envelope.expiring() : store.get(address, now);
    if (m.kind() == MessageKind.TIMER
        && (before == null || !before.timers().contains(m.correlationId()))) {
      return guest; // cancelled, or dropped with the actor's state
    }
    var turn = new Turn(this, tv.config(), address, m, before, now, clock);
    if (guest != null && guest.module() != tv.module()) {
      guest = null; // redeployed: the old version's instance is left to the collector
    }
    Threads.Worker worker = Thread.currentThread() instanceof Threads.Worker w ? w : null;
    TurnRecord.Failure failure = null;
    Watchdog.Slot slot = slots.get();
    slot.arm(systemClock ? now : System.nanoTime(), tv.config().turnTimeout());
    try {
      if (worker != null) {
        guest = worker.instance(tv.pool(), typesEpoch);
      } else if (guest == null) {
        guest = tv.pool().borrow();
      }
      int rc = expiry ? guest.expire(turn) : guest.handle(m.payload(), turn);
      if (rc != 0) {
        failure =
            new TurnRecord.Failure(
                "guest_error", "actor " + address + " returned error code " + rc);
      }
    } catch (TurnTimeoutException e) {
      failure =
          new TurnRecord.Failure(
              e.code(),
              "turn of " + address + " exceeded its deadline of " + tv.config().turnTimeout());
    } catch (GuestMemoryExhaustedException | GuestTrapException e) {
      failure =
          new TurnRecord.Failure(e.code(), "turn of " + address + " failed: " + e.getMessage());
    } finally {
      slot.disarm();
    }
    if (worker != null) {
      if (guest != null && guest.broken()) {
        worker.discard(tv.pool());
      }
      guest = null; // the worker keeps its instance; the cell holds nothing between turns
    } else if (guest != null && guest.broken()) {
      guest = null;
    }
    ActorState after = failure == null ? commit(tv, turn, expiry) : rollback(turn, failure);
    metrics.turns.increment();
    if (metrics.timing() && envelope.enqueuedNanos() != 0) {
      metrics.recordLatency(System.nanoTime() - envelope.enqueuedNanos());
    }
    if (turnListener != null) {
      try {
        turnListener.onTurn(turn.record(after, failure));
      } catch (RuntimeException e) {
        // The turn has committed; an observer's bug is logged, not propagated.
        LOG.log(System.Logger.Level.WARNING, "turn listener failed", e);
      }
    }
    if (!drops.isEmpty()) {
      drainDrops();
    }
    return guest;
  }

  private ActorState rollback(Turn turn, TurnRecord.Failure failure) {
    switch (failure.reason()) {
      case "turn_timeout" -> metrics.failedTimeouts.increment();
      case "guest_out_of_memory" -> metrics.failedMemory.increment();
      case "guest_trap" -> metrics.failedTraps.increment();
      default -> metrics.failedErrors.increment();
    }
    Message m = turn.message();
    if (m.kind() == MessageKind.ASK) {
      replies.failTurn(m.requestId(), failure.reason(), failure.message());
    }
    ActorState before = turn.before();
    if (m.kind() == MessageKind.TIMER && before != null) {
      // The timer has fired even though its turn failed: it is no longer pending.
      ActorState without = before.withoutTimer(m.correlationId());
      if (without.isEmpty()) {
        store.remove(m.target());
      } else {
        store.put(m.target(), without, turn.now());
      }
      return without;
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "rolled back: " + failure.message());
    return turn.before();
  }

  private ActorState commit(TypeVersion tv, Turn turn, boolean expiry) {
    Address self = turn.message().target();
    ActorState after = turn.before();
    if (!expiry) {
      after = turn.newState(tv.config().ttl());
      if (after != turn.before()) {
        if (after.isEmpty()) {
          store.remove(self);
        } else {
          store.put(self, after, turn.now());
        }
      }
    }
    List<Effect> effects = turn.effects();
    for (int i = 0; i < effects.size(); i++) { // no iterator for the many turns with no effect
      apply(self, effects.get(i), expiry);
    }
    Message m = turn.message();
    if (m.kind() == MessageKind.ASK && !turn.answered()) {
      replies.failTurn(
          m.requestId(), "no_reply", "actor " + self + " finished its turn without replying");
    }
    if (turn.droppedLogs() > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          self + " logged " + turn.droppedLogs() + " lines beyond its effects limit; dropped");
    }
    return after;
  }

  private void apply(Address self, Effect effect, boolean expiry) {
    switch (effect) {
      case Effect.Send s -> deliverInternal(Message.tell(s.to(), s.payload(), self));
      case Effect.Ask a -> {
        long id =
            replies.register(
                new Replies.FromActor(a.to(), self, a.correlationId()),
                clock.nanoTime() + a.timeout().toNanos());
        deliverInternal(
            new Message(a.to(), MessageKind.ASK, a.payload(), self, 0, ReplyStatus.OK, null, id));
      }
      case Effect.Reply r -> replies.complete(r.requestId(), r.payload());
      case Effect.Publish p -> publishFrom(self, p.topic(), p.payload());
      case Effect.SetTimer t -> {
        if (!expiry) {
          var m =
              new Message(
                  self, MessageKind.TIMER, t.payload(), null, t.timerId(), ReplyStatus.OK, null, 0);
          timers.schedule(clock.nanoTime() + t.delay().toNanos(), () -> deliverInternal(m));
        }
      }
      case Effect.CancelTimer c -> {
        // The timer stays queued; it is skipped on delivery because the state no longer has it.
      }
      case Effect.Subscribe s -> {
        if (!expiry) {
          bus.subscribe(self, s.filter());
        }
      }
      case Effect.Unsubscribe u -> bus.unsubscribe(self, u.filter());
      case Effect.Log l -> guestLog(self, l);
    }
  }

  private static void guestLog(Address self, Effect.Log l) {
    System.Logger.Level level =
        switch (l.level()) {
          case 0 -> System.Logger.Level.TRACE;
          case 1 -> System.Logger.Level.DEBUG;
          case 2 -> System.Logger.Level.INFO;
          case 3 -> System.Logger.Level.WARNING;
          default -> System.Logger.Level.ERROR;
        };
    System.getLogger("mayfly.actor." + self.type()).log(level, self + ": " + l.text());
  }

  // ---- inspection -------------------------------------------------------------------------

  @Override
  public Optional<ActorSnapshot> state(Address address) {
    ActorState s = store.peek(address);
    long now = clock.nanoTime();
    if (s == null || s.dropAtNanos() - now <= 0) {
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
    if (key == null
        || key.isEmpty()
        || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > GuestInstance.MAX_KEY_BYTES) {
      throw new io.mayfly.runtime.InvalidConfigException(
          "shared data key must be 1-256 bytes of UTF-8, was " + key);
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
  public List<String> problems() {
    return java.util.stream.Stream.concat(
            watchdog.problems().stream(), dispatcher.problems().stream())
        .toList();
  }

  // ---- shutdown ---------------------------------------------------------------------------

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while ((metrics.queued.sum() > 0 || !cells.isEmpty()) && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
    replies.failAll(
        id ->
            replies.fail(
                id,
                ReplyStatus.UNDELIVERABLE,
                new NodeClosedException("the node closed before the reply arrived")));
    if (clock instanceof ManualClock manual) {
      manual.removeListener(housekeeping);
      manual.removeDueTimes(nextDue);
    }
    if (housekeeper != null) {
      LockSupport.unpark(housekeeper);
    }
    dispatcher.shutdown(Duration.ofSeconds(1));
    compiler.shutdownNow();
    watchdog.close();
    types.values().forEach(tv -> tv.pool().clear());
  }
}
