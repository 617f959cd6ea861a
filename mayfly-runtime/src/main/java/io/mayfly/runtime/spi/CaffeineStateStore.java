package io.mayfly.runtime.spi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The embedded state store: a Caffeine cache keyed by address, with a per-entry deadline ({@link
 * ActorState#dropAtNanos()}) on Caffeine's timer wheel, a weigher charging each state's bytes
 * against the node budget, and the node clock as its ticker. Maintenance runs on the calling
 * thread, so expiry is deterministic under a manual clock.
 *
 * <p>Over budget, Caffeine evicts by W-TinyLFU: states that are neither recent nor frequently used
 * go first. Evicted and expired states are reported to the drop listener alike.
 *
 * <p>Each cache entry is a {@link Slot} holding the actor's latest state. A commit whose state has
 * the same weight and a deadline within the slot's deadline only replaces the slot's state: no
 * cache write, no timer-wheel move. Caffeine holds each slot until a little after its state's
 * deadline ({@link #slack}, at most {@value #MAX_SLACK_MILLIS} ms), so an actor that keeps
 * receiving messages under an after-access or after-write TTL is written to the cache about once
 * per slack period rather than once per turn. Reads check the state's own deadline, so a state is
 * invisible from the exact instant its TTL passes; only the expiry turn may come up to the slack
 * later (on top of the timer wheel's granularity). Recency and frequency for eviction are recorded
 * at those cache writes, i.e. at the same cadence.
 *
 * <p>On a manual clock the store is exact: it keeps every state's drop time in an ordered index,
 * reports the earliest as {@link #nextDropNanos()} and drops what is due at each maintenance,
 * rather than when the timer wheel's bucket (about a second wide) is passed.
 */
final class CaffeineStateStore implements StateStore {
  /** The stage of every commit: the state is safe once it is in this node's memory. */
  static final CompletableFuture<Void> SAVED = CompletableFuture.completedFuture(null);

  /** The most a slot outlives its state's deadline in the cache. */
  static final long MAX_SLACK_MILLIS = 250;

  private static final long MAX_SLACK_NANOS = MAX_SLACK_MILLIS * 1_000_000;

  private final Cache<Address, Slot> cache;
  private final MayflyClock clock;
  private volatile DropListener listener = (a, s, c) -> {};

  /** On a manual clock only: every slot's drop time, to drop each state exactly when due. */
  private final java.util.concurrent.ConcurrentSkipListMap<Due, Boolean> dues;

  /** A state's drop time in the exact index; {@code seq} orders states due at the same time. */
  private record Due(long atNanos, long seq, Address address) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = Long.compare(atNanos, o.atNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Map<Address, Due> dueOf;
  private final java.util.concurrent.atomic.AtomicLong dueSeq =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Caffeine's time on a clock that moves by itself: the clock as read at the last maintenance. The
   * store's own reads and writes check each state's deadline against the turn's time, so Caffeine
   * needs the time only to find what to drop, which it does at maintenance; reading the clock on
   * every cache operation would cost more than the rest of the lookup. Slots are created with their
   * absolute deadlines, so a time that lags only delays when Caffeine notices, never what it keeps.
   * A manual clock is Caffeine's ticker itself, so tests see exact expiry.
   */
  private volatile long tickerNanos;

  /**
   * An actor's entry: its latest committed state, replaced in place by commits that need no cache
   * write. {@code deadline} and {@code weight} are what Caffeine was told when the slot went in.
   *
   * <p>Lock-free: the one thread running the actor's turn replaces the state while maintenance or
   * another thread's removal may take the slot out of the cache; a compare-and-set on one field
   * decides which came first, so a commit never lands in a slot whose state was already reported as
   * dropped.
   */
  private static final class Slot {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Slot.class, "value", Object.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** What a slot holds once it has left the cache: its last state. */
    private record Removed(ActorState last) {}

    final long deadline;
    final int weight;

    /** The current {@link ActorState}, or {@link Removed} once the slot has left the cache. */
    @SuppressWarnings("unused") // through VALUE
    private volatile Object value;

    Slot(ActorState state, long deadline) {
      this.value = state;
      this.deadline = deadline;
      this.weight = state.weight();
    }

    ActorState state() {
      Object v = value;
      return v instanceof Removed r ? r.last() : (ActorState) v;
    }

    /** Replaces the state unless the slot has left the cache. */
    boolean replace(ActorState next) {
      for (; ; ) {
        Object v = value;
        if (v instanceof Removed) {
          return false;
        }
        if (VALUE.compareAndSet(this, v, next)) {
          return true;
        }
      }
    }

    /** Marks the slot as gone and returns its last state. */
    ActorState remove() {
      for (; ; ) {
        Object v = value;
        if (v instanceof Removed r) {
          return r.last();
        }
        if (VALUE.compareAndSet(this, v, new Removed((ActorState) v))) {
          return (ActorState) v;
        }
      }
    }
  }

  private CaffeineStateStore(MayflyClock clock, long budgetBytes) {
    this.clock = clock;
    this.dues = clock.isManual() ? new java.util.concurrent.ConcurrentSkipListMap<>() : null;
    this.dueOf = clock.isManual() ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    this.tickerNanos = clock.nanoTime();
    this.cache =
        Caffeine.newBuilder()
            .ticker(clock.isManual() ? clock::nanoTime : () -> tickerNanos)
            .executor(Runnable::run)
            .maximumWeight(budgetBytes)
            .weigher((Address a, Slot s) -> s.weight)
            .expireAfter(new DeadlineExpiry())
            .evictionListener(this::evicted)
            .build();
  }

  /** A store bounded to {@code budgetBytes} on the given clock. */
  static CaffeineStateStore create(MayflyClock clock, long budgetBytes) {
    return new CaffeineStateStore(clock, budgetBytes);
  }

  private void evicted(Address address, Slot slot, RemovalCause cause) {
    if (address == null || slot == null) {
      return;
    }
    ActorState state = slot.remove();
    if (dues != null && cause.wasEvicted()) {
      Due due = dueOf.get(address);
      if (due != null && dueOf.remove(address, due)) {
        dues.remove(due);
      }
    }
    if (cause == RemovalCause.EXPIRED) {
      listener.dropped(address, state, DropCause.EXPIRED);
    } else if (cause == RemovalCause.SIZE) {
      listener.dropped(address, state, DropCause.EVICTED);
    }
  }

  @Override
  public ActorState get(Address address, long nowNanos) {
    Slot slot = cache.policy().getIfPresentQuietly(address);
    if (slot == null) {
      return null;
    }
    ActorState state = slot.state();
    return expired(state, nowNanos) ? null : state;
  }

  @Override
  public ActorState peek(Address address) {
    return get(address, clock.nanoTime());
  }

  private static boolean expired(ActorState state, long nowNanos) {
    long at = state.dropAtNanos();
    return at != Long.MAX_VALUE && at - nowNanos <= 0;
  }

  /**
   * The actor's slot, or {@code null}. A slot whose state's deadline has passed while the cache
   * still holds it (within its slack) is dropped here as expired, as the cache would have done.
   */
  private Slot live(Address address, long nowNanos) {
    Slot slot = cache.policy().getIfPresentQuietly(address);
    if (slot != null && expired(slot.state(), nowNanos) && cache.asMap().remove(address, slot)) {
      listener.dropped(address, slot.remove(), DropCause.EXPIRED);
      return null;
    }
    return slot;
  }

  @Override
  public CompletionStage<Void> put(Address address, ActorState state, long nowNanos) {
    long at = state.dropAtNanos();
    if (dues != null) {
      index(address, at);
    }
    Slot slot = live(address, nowNanos);
    if (slot != null
        && slot.weight == state.weight()
        && fits(at, slot.deadline, nowNanos)
        && slot.replace(state)) {
      return SAVED;
    }
    cache.put(address, new Slot(state, at == Long.MAX_VALUE ? at : at + slack(at, nowNanos)));
    return SAVED;
  }

  /** Exact mode: records the actor's drop time in place of the one it had. */
  private void index(Address address, long at) {
    Due next = at == Long.MAX_VALUE ? null : new Due(at, dueSeq.incrementAndGet(), address);
    Due old = next == null ? dueOf.remove(address) : dueOf.put(address, next);
    if (old != null) {
      dues.remove(old);
    }
    if (next != null) {
      dues.put(next, Boolean.TRUE);
    }
  }

  /** Whether a state due at {@code at} may live in a slot the cache holds until {@code held}. */
  private static boolean fits(long at, long held, long nowNanos) {
    if (at == Long.MAX_VALUE || held == Long.MAX_VALUE) {
      return at == held;
    }
    // Not dropped before its deadline, nor held longer past it than a fresh slot would be.
    return at - held <= 0 && held - at <= slack(at, nowNanos);
  }

  /** How long past a deadline a new slot is held: an eighth of the time left, at most the cap. */
  private static long slack(long at, long nowNanos) {
    long left = at - nowNanos;
    return left <= 0 ? 0 : Math.min(MAX_SLACK_NANOS, left >> 3);
  }

  @Override
  public CompletionStage<Void> remove(Address address) {
    if (dues != null) {
      index(address, Long.MAX_VALUE);
    }
    Slot slot = live(address, clock.nanoTime());
    if (slot != null && cache.asMap().remove(address, slot)) {
      slot.remove();
    }
    return SAVED;
  }

  @Override
  public void removeType(String type) {
    cache
        .asMap()
        .entrySet()
        .removeIf(
            e -> {
              if (!e.getKey().type().equals(type)) {
                return false;
              }
              e.getValue().remove();
              if (dues != null) {
                index(e.getKey(), Long.MAX_VALUE);
              }
              return true;
            });
  }

  @Override
  public List<Address> addresses(String type, int offset, int limit) {
    var out = new ArrayList<Address>();
    int skipped = 0;
    for (Address a : cache.asMap().keySet()) {
      if (!a.type().equals(type)) {
        continue;
      }
      if (skipped++ < offset) {
        continue;
      }
      if (out.size() >= limit) {
        break;
      }
      out.add(a);
    }
    return out;
  }

  @Override
  public void forEach(Predicate<Address> which, BiConsumer<Address, ActorState> action) {
    long now = clock.nanoTime();
    for (var e : cache.asMap().entrySet()) {
      if (which.test(e.getKey())) {
        ActorState state = e.getValue().state();
        if (!expired(state, now)) {
          action.accept(e.getKey(), state);
        }
      }
    }
  }

  @Override
  public long actorCount() {
    return cache.estimatedSize();
  }

  @Override
  public long weightedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  @Override
  public void runMaintenance() {
    long now = clock.nanoTime();
    tickerNanos = now;
    cache.cleanUp();
    if (dues != null) {
      for (Due due = first(); due != null && due.atNanos() - now <= 0; due = first()) {
        if (dues.remove(due) != null) {
          dueOf.remove(due.address(), due);
          live(due.address(), now); // drops the state, and reports it, if it is still due
        }
      }
    }
  }

  private Due first() {
    var e = dues.firstEntry();
    return e == null ? null : e.getKey();
  }

  @Override
  public long nextDropNanos() {
    if (dues == null) {
      return Long.MAX_VALUE;
    }
    Due due = first();
    return due == null ? Long.MAX_VALUE : due.atNanos();
  }

  @Override
  public void onDrop(DropListener listener) {
    this.listener = listener;
  }

  /** Each slot carries its own absolute deadline; reads do not move it (commits do). */
  private static final class DeadlineExpiry implements Expiry<Address, Slot> {
    @Override
    public long expireAfterCreate(Address key, Slot value, long currentTime) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(Address key, Slot value, long currentTime, long currentDuration) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterRead(Address key, Slot value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private static long remaining(Slot value, long now) {
      long at = value.deadline;
      if (at == Long.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, at - now);
    }
  }
}
