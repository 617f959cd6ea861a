package io.mayfly.runtime;

import io.mayfly.runtime.internal.CaffeineStateStore;
import java.util.List;

/**
 * Where actors' short-term state lives between turns. The embedded node keeps it in memory
 * (Caffeine); a clustered node keeps it in a replicated map with the same contract.
 *
 * <p>The runtime reads and writes one actor's state only from the thread running that actor's turn.
 * A store drops a state when {@link ActorState#dropAtNanos()} passes on the node clock, or earlier
 * to stay within its byte budget, and reports each drop to its {@link DropListener}.
 */
public interface StateStore {
  /**
   * The actor's committed state for a turn, or {@code null} if it has none or it has expired.
   *
   * @param nowNanos the turn's time on the node clock (a store need not read the clock again)
   */
  ActorState get(Address address, long nowNanos);

  /** The actor's state without touching it (inspection), or {@code null}. */
  ActorState peek(Address address);

  /**
   * Commits a turn's new state.
   *
   * @param nowNanos the turn's time on the node clock, as given to {@link #get}
   */
  void put(Address address, ActorState state, long nowNanos);

  /** Removes the actor's state without a drop notification. */
  void remove(Address address);

  /** Removes every actor of a type without drop notifications (undeploy). */
  void removeType(String type);

  /** Up to {@code limit} addresses of a type with state, skipping {@code offset}, in no order. */
  List<Address> addresses(String type, int offset, int limit);

  /** Actors with state. */
  long actorCount();

  /** Bytes charged against the budget. */
  long weightedBytes();

  /** Drops what has expired by now and reports it; called by the node's housekeeping. */
  void runMaintenance();

  /** Sets who hears about dropped states (the node, which runs the expiry turns). */
  void onDrop(DropListener listener);

  /** The embedded in-memory store on Caffeine, bounded to {@code budgetBytes}. */
  static StateStore inMemory(MayflyClock clock, long budgetBytes) {
    return CaffeineStateStore.create(clock, budgetBytes);
  }

  /** Why a state was dropped. */
  enum DropCause {
    /** Its TTL passed. */
    EXPIRED,
    /** The node evicted it to stay within its byte budget. */
    EVICTED
  }

  /** Hears about dropped states. Called on the thread that ran the store's maintenance. */
  @FunctionalInterface
  interface DropListener {
    void dropped(Address address, ActorState state, DropCause cause);
  }
}
