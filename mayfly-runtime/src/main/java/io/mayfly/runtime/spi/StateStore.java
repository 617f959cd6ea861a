package io.mayfly.runtime.spi;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Where actors' short-term state lives between turns. The embedded node keeps it in memory
 * (Caffeine); a clustered node keeps it in a replicated map with the same contract, which {@code
 * StateStoreContract} in the runtime's tests states and every implementation must pass.
 *
 * <p>The runtime reads and writes one actor's state only from the thread running that actor's turn.
 * A store drops a state when {@link ActorState#dropAtNanos()} passes on the node clock, or earlier
 * to stay within its byte budget, and reports each drop to its {@link DropListener}.
 *
 * <p><b>Output gate.</b> {@link #put} and {@link #remove} return when the new state is visible to
 * {@link #get} on this node (read your writes), and complete their stage when it is safe (for a
 * replicated store: on its backup). The runtime releases a turn's outputs (replies, messages to
 * other nodes, acknowledgments) only once that stage has completed; the embedded store completes it
 * at once.
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
   * @return completes when the state is safe; {@link #saved()} when it already is
   */
  CompletionStage<Void> put(Address address, ActorState state, long nowNanos);

  /**
   * Removes the actor's state without a drop notification.
   *
   * @return completes when the removal is safe
   */
  CompletionStage<Void> remove(Address address);

  /** Removes every actor of a type without drop notifications (undeploy). */
  void removeType(String type);

  /** Up to {@code limit} addresses of a type with state, skipping {@code offset}, in no order. */
  List<Address> addresses(String type, int offset, int limit);

  /**
   * Calls {@code action} with every live state whose address {@code which} accepts: how a node that
   * gains actors re-arms their timers and subscriptions.
   */
  void forEach(Predicate<Address> which, BiConsumer<Address, ActorState> action);

  /** Actors with state. */
  long actorCount();

  /** Bytes charged against the budget. */
  long weightedBytes();

  /** Drops what has expired by now and reports it; called by the node's housekeeping. */
  void runMaintenance();

  /**
   * The earliest time at which {@link #runMaintenance()} will drop a state exactly, or {@link
   * Long#MAX_VALUE}. A store on a manual clock reports its deadlines here, so advancing the clock
   * stops at each of them and every expiry turn runs at its deadline; on a clock that moves by
   * itself a store may drop a little late and report nothing.
   */
  default long nextDropNanos() {
    return Long.MAX_VALUE;
  }

  /**
   * Whether committed state outlives this node (a replicated store). Then a turn's messages to
   * other actors are committed with its state ({@link ActorState#outbox()}) and sent again by
   * whoever owns the sender after a failure, each with an id by which its receiver drops a copy it
   * already handled. The embedded store does not replicate: its node pays nothing for this.
   */
  default boolean replicated() {
    return false;
  }

  /** Sets who hears about dropped states (the node, which runs the expiry turns). */
  void onDrop(DropListener listener);

  /**
   * The embedded in-memory store on Caffeine, bounded to {@code budgetBytes}. On a manual clock it
   * drops each state exactly at its deadline.
   */
  static StateStore inMemory(MayflyClock clock, long budgetBytes) {
    return CaffeineStateStore.create(clock, budgetBytes);
  }

  /** A stage that has completed: the state is already safe. */
  static CompletionStage<Void> saved() {
    return CaffeineStateStore.SAVED;
  }

  /** Whether {@code stage} has completed normally, so outputs may leave without waiting. */
  static boolean isSaved(CompletionStage<Void> stage) {
    return stage == CaffeineStateStore.SAVED
        || (stage instanceof CompletableFuture<Void> f
            && f.isDone()
            && !f.isCompletedExceptionally());
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
