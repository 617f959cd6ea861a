package io.mayfly.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Actors' state in a cluster: two tiers with one truth.
 *
 * <ul>
 *   <li>The <b>replicated tier</b> is a Hazelcast map keyed by {@code type/id}, with synchronous
 *       backups. Every commit is written there; the stage {@link #put} returns completes when the
 *       write and its backups are acknowledged — the output gate.
 *   <li>The <b>owner's tier</b> is the embedded store ({@link StateStore#inMemory}) holding the
 *       states of the actors this member owns, as live objects: turns read them without a network
 *       hop or a deserialization, and TTLs, exact expiry on a manual clock, the byte budget and
 *       drop notifications keep the embedded node's meaning. When the owner's tier drops a state
 *       (TTL or budget), the replicated copy is deleted and the node runs the expiry turn: once, on
 *       the owner.
 * </ul>
 *
 * <p>When this member gains partitions it {@link #adopt adopts} their states from the replicated
 * tier into its own (the placement does this before it reports the actors as local); when it loses
 * them it {@link #release releases} them from its own tier without notifications. A commit for an
 * actor this member no longer owns is refused (the stage fails, the turn's outputs never leave): a
 * fence beside the runtime's epoch check.
 *
 * <p>Each replicated entry also carries a Hazelcast TTL a minute past the state's drop time, so a
 * state whose owner never drops it (the cluster lost every copy of its owner's tier at once) does
 * not stay forever.
 */
final class HazelcastStateStore implements StateStore {
  private static final System.Logger LOG = System.getLogger(HazelcastStateStore.class.getName());

  /** The name of the replicated map of actor states. */
  static final String MAP = "mayfly.state";

  /** How long the replicated tier keeps a state past its drop time, as a safety net. */
  private static final long GRACE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final IMap<String, ActorState> map;
  private final StateStore owned;
  private final MayflyClock clock;
  private final Predicate<Address> isOwner;

  /** This member's id, which a write carries for the fence. */
  private final java.util.function.Supplier<java.util.UUID> self;

  private final LongAdder backlog = new LongAdder();

  /** Deletes of dropped states still in flight; maintenance waits for them. */
  private final java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<Boolean>> deletes =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private volatile DropListener listener = (a, s, c) -> {};

  /**
   * Runs what follows a replicated write: the commit's release (the turn's outputs) and the store's
   * own bookkeeping. Without it Hazelcast runs such callbacks on the JVM's common pool, and on a
   * machine of two cores, where that pool has a single thread, on a new thread per callback: one
   * per commit, and under load commits were seen never to complete.
   */
  private final java.util.concurrent.ExecutorService callbacks;

  HazelcastStateStore(
      IMap<String, ActorState> map,
      MayflyClock clock,
      long budgetBytes,
      Predicate<Address> isOwner,
      java.util.function.Supplier<java.util.UUID> self) {
    this.map = map;
    this.self = self;
    this.clock = clock;
    this.isOwner = isOwner;
    this.owned = StateStore.inMemory(clock, budgetBytes);
    owned.onDrop(this::dropped);
    var counter = new java.util.concurrent.atomic.AtomicInteger();
    this.callbacks =
        java.util.concurrent.Executors.newFixedThreadPool(
            CALLBACK_THREADS,
            r ->
                Thread.ofPlatform()
                    .daemon()
                    .name("mayfly-commit-" + counter.incrementAndGet())
                    .unstarted(r));
  }

  /** Threads that complete commits once Hazelcast has replicated them. */
  static final int CALLBACK_THREADS = 2;

  /** Stops the threads that complete commits (after the member's Hazelcast instance stopped). */
  void close() {
    callbacks.shutdown();
  }

  private void dropped(Address address, ActorState state, DropCause cause) {
    CompletionStage<Boolean> delete = map.deleteAsync(address.toString());
    deletes.add(delete.toCompletableFuture());
    delete.whenCompleteAsync(
        (ok, error) -> {
          if (error != null) {
            LOG.log(
                System.Logger.Level.WARNING,
                "the replicated state of "
                    + address
                    + " was not deleted after it was dropped ("
                    + cause
                    + "): "
                    + error.getMessage());
          }
        },
        callbacks);
    listener.dropped(address, state, cause);
  }

  // ---- ownership ----------------------------------------------------------------------------

  /**
   * Loads the replicated states of the actors {@code which} accepts into this member's tier: this
   * member now owns them. Only called while no turn of those actors runs here.
   */
  int adopt(Predicate<Address> which) {
    var keys = new ArrayList<String>();
    for (String key : map.localKeySet()) {
      if (which.test(Address.parse(key))) {
        keys.add(key);
      }
    }
    long now = clock.nanoTime();
    int adopted = 0;
    for (var e : map.getAll(new java.util.HashSet<>(keys)).entrySet()) {
      owned.put(Address.parse(e.getKey()), e.getValue(), now);
      adopted++;
    }
    return adopted;
  }

  /** Forgets the states of the actors {@code which} accepts: another member owns them now. */
  void release(Predicate<Address> which) {
    var gone = new ArrayList<Address>();
    owned.forEach(which, (a, s) -> gone.add(a));
    for (Address a : gone) {
      owned.remove(a);
    }
  }

  /** Commits of this member whose backups are not acknowledged yet. */
  long backlog() {
    return backlog.sum();
  }

  // ---- the store ----------------------------------------------------------------------------

  @Override
  public ActorState get(Address address, long nowNanos) {
    return owned.get(address, nowNanos);
  }

  @Override
  public ActorState peek(Address address) {
    if (isOwner.test(address)) {
      return owned.peek(address);
    }
    ActorState s = map.get(address.toString());
    return s == null || s.droppedAt(clock.nanoTime()) ? null : s;
  }

  @Override
  public CompletionStage<Void> put(Address address, ActorState state, long nowNanos) {
    if (!isOwner.test(address)) {
      return notOwner(address);
    }
    ActorState before = owned.get(address, nowNanos);
    owned.put(address, state, nowNanos);
    long drop = state.dropAtNanos();
    long ttl = drop == Long.MAX_VALUE ? 0 : Math.max(1, drop - nowNanos) + GRACE_NANOS;
    CompletionStage<Void> write;
    try {
      write = fenced(address, new FencedWrite(self.get(), state, ttl));
    } catch (RuntimeException e) {
      write = notSaved(address, e);
    }
    return write.whenComplete(
        (ok, error) -> {
          if (error != null) {
            undo(address, state, before);
          }
        });
  }

  /**
   * A commit that was not replicated is taken back from this member's tier, unless a later turn has
   * committed over it already, so that the next turn does not build on a state the cluster does not
   * have.
   */
  private void undo(Address address, ActorState failed, ActorState before) {
    if (owned.peek(address) != failed) {
      return;
    }
    if (before == null) {
      owned.remove(address);
    } else {
      owned.put(address, before, clock.nanoTime());
    }
  }

  @Override
  public CompletionStage<Void> remove(Address address) {
    if (!isOwner.test(address)) {
      return notOwner(address);
    }
    owned.remove(address);
    try {
      return fenced(address, new FencedWrite(self.get(), null, 0));
    } catch (RuntimeException e) {
      return notSaved(address, e);
    }
  }

  /**
   * A write that applies only while this member owns the actor's partition where the write runs
   * ({@link FencedWrite}); refused, its stage fails as the commit of an actor this member lost.
   */
  private CompletionStage<Void> fenced(Address address, FencedWrite write) {
    backlog.increment();
    var out = new CompletableFuture<Void>();
    CompletionStage<Boolean> applied;
    try {
      applied = map.submitToKey(address.toString(), write);
    } catch (RuntimeException e) {
      backlog.decrement();
      throw e;
    }
    applied.whenCompleteAsync(
        (ok, error) -> {
          backlog.decrement();
          if (error == null && Boolean.TRUE.equals(ok)) {
            out.complete(null);
          } else if (error == null) {
            out.completeExceptionally(notOwnerException(address));
          } else {
            Throwable cause =
                error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause()
                    : error;
            out.completeExceptionally(notReplicated(address, cause));
          }
        },
        callbacks);
    return out;
  }

  private static ClusterException notReplicated(Address address, Throwable cause) {
    return new ClusterException(
        "the state of " + address + " was not replicated: " + cause.getMessage(), cause);
  }

  /** Hazelcast refused the write at once (the member is shutting down, or on a minority side). */
  private static CompletionStage<Void> notSaved(Address address, RuntimeException e) {
    return CompletableFuture.failedFuture(notReplicated(address, e));
  }

  private static CompletionStage<Void> notOwner(Address address) {
    return CompletableFuture.failedFuture(notOwnerException(address));
  }

  private static ClusterException notOwnerException(Address address) {
    return new ClusterException(
        "this member no longer owns "
            + address
            + ": its new owner runs it, and this turn's outputs are discarded");
  }

  /** Committed state outlives this member: turns keep their messages to others with it. */
  @Override
  public boolean replicated() {
    return true;
  }

  @Override
  public void removeType(String type) {
    owned.removeType(type);
    map.removeAll(Predicates.regex("__key", Pattern.quote(type) + "/.*"));
  }

  @Override
  public List<Address> addresses(String type, int offset, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return map.keySet(Predicates.regex("__key", Pattern.quote(type) + "/.*")).stream()
        .sorted()
        .skip(offset)
        .limit(limit)
        .map(Address::parse)
        .toList();
  }

  @Override
  public void forEach(Predicate<Address> which, BiConsumer<Address, ActorState> action) {
    owned.forEach(which, action);
  }

  @Override
  public long actorCount() {
    return owned.actorCount();
  }

  @Override
  public long weightedBytes() {
    return owned.weightedBytes();
  }

  /**
   * Drops what has expired, and waits (up to a few seconds) until the replicated copies of the
   * dropped states are deleted, so that once maintenance is over no listing shows them.
   */
  @Override
  public void runMaintenance() {
    owned.runMaintenance();
    CompletableFuture<Boolean> delete;
    while ((delete = deletes.poll()) != null) {
      try {
        delete.get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return; // logged by the delete itself; the entry's own TTL removes it later
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public long nextDropNanos() {
    return owned.nextDropNanos();
  }

  @Override
  public void onDrop(DropListener listener) {
    this.listener = listener;
  }
}
