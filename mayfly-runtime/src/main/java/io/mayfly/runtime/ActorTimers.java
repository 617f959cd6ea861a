package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateStore;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The node's index of actor timers, on the node's {@link Timers}. The timers themselves are data in
 * each actor's state ({@link PendingTimer}: id, due time, payload); the index holds only when to
 * look, so it can be rebuilt from state alone: {@link #rearm} is how a node that gains an actor
 * resumes its timers. When a timer is due, its payload is read from the state: a timer cancelled or
 * dropped with the state meanwhile fires nothing, and one that fires twice (armed by two owners)
 * runs once, because its first turn removes it from the state.
 */
final class ActorTimers {
  private final Timers timers;
  private final StateStore store;
  private final Predicate<Address> isLocal;
  private final Consumer<Message> send;

  ActorTimers(Timers timers, StateStore store, Predicate<Address> isLocal, Consumer<Message> send) {
    this.timers = timers;
    this.store = store;
    this.isLocal = isLocal;
    this.send = send;
  }

  /**
   * Arms a timer a turn committed; its message carries {@code trace}, the span of that turn (or
   * {@code null}).
   */
  void arm(Address actor, long timerId, long dueNanos, TraceContext trace) {
    timers.schedule(dueNanos, () -> fire(actor, timerId, dueNanos, trace));
  }

  /** Arms every timer in {@code state}: the actor is now this node's. */
  void rearm(Address actor, ActorState state) {
    for (PendingTimer t : state.timers().values()) {
      arm(actor, t.id(), t.dueNanos(), null); // the trace context is not part of the state
    }
  }

  private void fire(Address actor, long timerId, long dueNanos, TraceContext trace) {
    if (!isLocal.test(actor)) {
      return; // the actor moved: its new owner armed the timer from its state
    }
    ActorState state = store.peek(actor);
    PendingTimer t = state == null ? null : state.timers().get(timerId);
    if (t != null && t.dueNanos() == dueNanos) {
      send.accept(new Message.Timer(actor, timerId, t.payload(), trace));
    }
  }
}
