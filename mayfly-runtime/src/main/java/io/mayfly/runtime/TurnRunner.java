package io.mayfly.runtime;

import io.mayfly.runtime.TypeRegistry.TypeVersion;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.Placement;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.runtime.spi.TurnEnvironment;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.GuestMemoryExhaustedException;
import io.mayfly.wasm.GuestTrapException;
import io.mayfly.wasm.TurnTimeoutException;
import io.mayfly.wasm.Watchdog;

/**
 * Runs one message of an actor as a turn: finds the type's current version and the actor's state,
 * runs the guest on the worker's instance under the turn deadline, and hands the outcome to the
 * {@link Committer}. A message for an actor this node no longer owns, or a turn whose ownership
 * epoch moved while it ran, is handed on to the owner instead.
 */
final class TurnRunner implements Router.Turns {
  private static final System.Logger LOG = System.getLogger(TurnRunner.class.getName());

  private final MayflyClock clock;

  /** Whether {@link #clock} reads {@link System#nanoTime()}, as the watchdog does. */
  private final boolean systemClock;

  private final StateStore store;
  private final Placement placement;
  private final TypeRegistry registry;
  private final Router router;
  private final Committer committer;
  private final TopicBus bus;
  private final TurnEnvironment env;
  private final NodeMetrics metrics;
  private final TurnListener listener;
  private final Housekeeper housekeeper;
  private final Idempotency idempotency;
  private final ThreadLocal<Watchdog.Slot> slots;

  /** The node's tracing, or {@code null} while it is off. */
  private final NodeTracing tracing;

  TurnRunner(
      NodeConfig config,
      StateStore store,
      TypeRegistry registry,
      Router router,
      Committer committer,
      TopicBus bus,
      TurnEnvironment env,
      NodeMetrics metrics,
      Housekeeper housekeeper,
      Watchdog watchdog,
      Idempotency idempotency,
      NodeTracing tracing) {
    this.tracing = tracing;
    this.clock = config.clock();
    this.systemClock = clock == MayflyClock.system();
    this.store = store;
    this.placement = config.placement();
    this.registry = registry;
    this.router = router;
    this.committer = committer;
    this.bus = bus;
    this.env = env;
    this.metrics = metrics;
    this.listener = config.turnListener();
    this.housekeeper = housekeeper;
    this.idempotency = idempotency;
    this.slots = ThreadLocal.withInitial(() -> watchdog.register(Thread.currentThread()));
  }

  @Override
  public void release(Address address, GuestInstance guest) {
    if (guest == null) {
      return;
    }
    TypeVersion tv = registry.get(address.type());
    if (tv != null && tv.module() == guest.module()) {
      tv.pool().release(guest);
    }
  }

  @Override
  public GuestInstance runTurn(ActorCell cell, Envelope envelope, GuestInstance guest) {
    Address address = cell.address;
    Message m = envelope.message();
    if (!placement.isLocal(address)) {
      handOver(m); // this node lost the actor while the message waited
      return guest;
    }
    long now = clock.nanoTime();
    TypeVersion tv = registry.get(address.type());
    boolean expiry = m instanceof Message.Expire;
    if (expiry) {
      forgetDroppedSubscriptions(address, envelope.expiring(), now);
      idempotency.carryOver(address, envelope.expiring(), now);
      if (tv == null
          || !tv.module().info().hasExpiryHandler()
          || envelope.expiring().onlyHandled()) {
        return guest;
      }
    } else if (tv == null) {
      router.undeliverable(
          m, new UnknownActorTypeException("actor type '" + address.type() + "' is not deployed"));
      return guest;
    }
    ActorState before = expiry ? envelope.expiring() : store.get(address, now);
    if (m.id() != null && idempotency.duplicateAtTurn(m, before, tv.counters(), router)) {
      return guest; // handled already: dropped, or answered with the remembered reply
    }
    if (m instanceof Message.Timer t
        && (before == null || !before.timers().containsKey(t.timerId()))) {
      return guest; // cancelled, or dropped with the actor's state
    }
    long epoch = placement.epoch(address);
    // While tracing is off, the one cost is this null check.
    TraceContext span = tracing == null ? null : NodeTracing.turnContext(m);
    long started = span == null ? 0 : System.nanoTime();
    var turn = new Turn(env, tv.info(), address, m, before, now, span);
    if (guest != null && guest.module() != tv.module()) {
      guest = null; // redeployed: the old version's instance is left to the collector
    }
    Threads.Worker worker = Thread.currentThread() instanceof Threads.Worker w ? w : null;
    TurnRecord.Failure failure;
    Watchdog.Slot slot = slots.get();
    slot.arm(
        systemClock ? MayflyClock.SystemClock.toSystemNanos(now) : System.nanoTime(),
        tv.config().turnTimeout());
    try {
      if (worker != null) {
        guest = worker.instance(tv.pool(), registry.epoch());
      } else if (guest == null) {
        guest = tv.pool().borrow();
      }
      failure = invoke(guest, turn, tv.config());
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
    if (placement.epoch(address) != epoch) {
      // Ownership moved while the guest ran: whatever it did is not this node's to commit.
      LogContext.log(
          LOG,
          System.Logger.Level.INFO,
          address,
          span,
          "turn discarded: the actor moved to another node mid-turn");
      handOver(m);
      return guest;
    }
    ActorState after =
        failure == null ? committer.commit(tv, turn) : committer.rollback(tv, turn, failure);
    tv.counters().turns.increment();
    if (span != null) {
      tracing.turnEnded(span, m, now, System.nanoTime() - started, failure);
    }
    if (metrics.timing() && envelope.enqueuedNanos() != 0) {
      metrics.recordLatency(System.nanoTime() - envelope.enqueuedNanos());
    }
    TypeRecording recording = tv.recording();
    // The one read a turn pays for the recorder: no record is built unless someone wants it.
    if (listener != null || failure != null || recording.active) {
      TurnRecord record = turn.record(after, failure);
      recording.offer(record, tv.bytes());
      if (listener != null) {
        try {
          listener.onTurn(record);
        } catch (RuntimeException e) {
          // The turn has committed; an observer's bug is logged, not propagated.
          LOG.log(System.Logger.Level.WARNING, "turn listener failed", e);
        }
      }
    }
    housekeeper.drainDrops();
    return guest;
  }

  /**
   * Runs the guest's handler for the turn's message (its expiry handler for an expiry turn) on an
   * armed watchdog slot; returns why the turn failed, or {@code null} if it may commit.
   */
  static TurnRecord.Failure invoke(GuestInstance guest, Turn turn, TypeConfig config) {
    Message m = turn.message();
    Address address = m.target();
    try {
      int rc = m instanceof Message.Expire ? guest.expire(turn) : guest.handle(m.payload(), turn);
      return rc == 0
          ? null
          : new TurnRecord.Failure(
              FailureReason.GUEST_ERROR, "actor " + address + " returned error code " + rc);
    } catch (TurnTimeoutException e) {
      return new TurnRecord.Failure(
          FailureReason.TURN_TIMEOUT,
          "turn of "
              + address
              + " exceeded its deadline of "
              + Durations.format(config.turnTimeout()));
    } catch (GuestMemoryExhaustedException e) {
      return new TurnRecord.Failure(
          FailureReason.GUEST_OUT_OF_MEMORY, "turn of " + address + " failed: " + e.getMessage());
    } catch (GuestTrapException e) {
      return new TurnRecord.Failure(
          FailureReason.GUEST_TRAP, "turn of " + address + " failed: " + e.getMessage());
    }
  }

  /**
   * An actor's state was dropped: it no longer hears the topics it had subscribed to, unless a
   * fresh state of it (a message came after the TTL) subscribed again. Runs in the actor's cell, so
   * no turn of the actor can subscribe meanwhile.
   */
  private void forgetDroppedSubscriptions(Address address, ActorState dropped, long now) {
    if (dropped.subscriptions().isEmpty()) {
      return;
    }
    ActorState current = store.get(address, now);
    for (String filter : dropped.subscriptions()) {
      if (current == null || !current.subscriptions().contains(filter)) {
        bus.unsubscribe(address, filter);
      }
    }
  }

  /** Passes a message this node may no longer handle to the actor's owner. */
  private void handOver(Message m) {
    if (m instanceof Message.Expire) {
      return; // the owner's own store drops the state and runs its expiry turn
    }
    if (m.id() != null) {
      // Asks that waited here for this one's answer retry on their own (with the same key).
      idempotency.abandoned(
          m,
          new UndeliverableException(
              "actor " + m.target() + " moved to another node while the message waited; retry"),
          router);
    }
    router.send(m);
  }
}
