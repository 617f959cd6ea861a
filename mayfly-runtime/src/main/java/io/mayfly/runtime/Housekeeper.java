package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.StateStore;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The node's clockwork: fires due timers and ask timeouts, lets the store expire state, and queues
 * the last turn of each dropped actor. On a clock that moves by itself it runs on its own thread
 * every housekeeping interval; on a manual clock it runs on the advancing thread, and tells the
 * clock when something is next due (a timer, or a state the store drops exactly), so that an
 * advance stops there.
 */
final class Housekeeper {
  private static final System.Logger LOG = System.getLogger(Housekeeper.class.getName());

  private record Drop(Address address, ActorState state) {}

  private final NodeConfig config;
  private final MayflyClock clock;
  private final Timers timers;
  private final StateStore store;
  private final NodeMetrics metrics;
  private final ConcurrentLinkedQueue<Drop> drops = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Runnable run = this::runOnce;
  private final java.util.function.LongSupplier nextDue = this::nextDue;
  private Router router;
  private Predicate<String> hasExpiryHandler = type -> false;
  private Thread thread;

  Housekeeper(NodeConfig config, Timers timers, StateStore store, NodeMetrics metrics) {
    this.config = config;
    this.clock = config.clock();
    this.timers = timers;
    this.store = store;
    this.metrics = metrics;
    store.onDrop(this::dropped);
  }

  /** Starts housekeeping; dropped actors' last turns go through {@code router}. */
  void start(Router router, Predicate<String> hasExpiryHandler) {
    this.router = router;
    this.hasExpiryHandler = hasExpiryHandler;
    if (clock instanceof ManualClock manual) {
      manual.onAdvance(run, nextDue);
    } else {
      thread = Threads.daemon("housekeeping").newThread(this::loop);
      thread.start();
    }
  }

  private void loop() {
    long interval = config.housekeepingInterval().toNanos();
    while (!closing.get()) {
      LockSupport.parkNanos(interval);
      if (closing.get()) {
        return;
      }
      runOnce();
    }
  }

  /** Fires due timers and ask timeouts, expires state, and queues expiry turns. */
  void runOnce() {
    try {
      timers.advanceTo(clock.nanoTime());
      store.runMaintenance();
      drainDrops();
    } catch (RuntimeException | Error e) {
      // Housekeeping must outlive a bug in one action; the error is logged with its cause.
      LOG.log(System.Logger.Level.ERROR, "housekeeping failed", e);
    }
  }

  /** The earliest time something is due: a timer, an ask timeout or an exact state drop. */
  long nextDue() {
    return Math.min(timers.nextDue(), store.nextDropNanos());
  }

  private void dropped(Address address, ActorState state, StateStore.DropCause cause) {
    if (cause == StateStore.DropCause.EXPIRED) {
      metrics.expirations.increment();
    } else {
      metrics.evictions.increment();
    }
    // The last turn runs for an actor with state of its own; the ids it handled outlive an
    // expiry (not an eviction) for their window, put back by that turn.
    if (!state.subscriptions().isEmpty()
        || (!state.onlyHandled() && hasExpiryHandler.test(address.type()))
        || (cause == StateStore.DropCause.EXPIRED
            && (!state.handled().isEmpty() || !state.outbox().isEmpty())
            && Idempotency.remembersAt(state, clock.nanoTime()))) {
      drops.add(new Drop(address, state));
    }
  }

  /**
   * Queues the last turn of each dropped actor that has one to run (an expiry handler, or
   * subscriptions to forget) in the actor's own mailbox: never from inside the store's listener,
   * and never beside a turn of the same actor.
   */
  void drainDrops() {
    if (drops.isEmpty() || router == null) {
      return;
    }
    Drop d;
    while ((d = drops.poll()) != null) {
      router.enqueueSystem(new Message.Expire(d.address), d.state);
    }
  }

  void close() {
    closing.set(true);
    if (clock instanceof ManualClock manual) {
      manual.removeListener(run);
      manual.removeDueTimes(nextDue);
    }
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }
}
