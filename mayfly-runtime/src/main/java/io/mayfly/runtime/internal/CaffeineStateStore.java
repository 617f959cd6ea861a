package io.mayfly.runtime.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.mayfly.runtime.ActorState;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.StateStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded state store: a Caffeine cache keyed by address, with a per-entry deadline ({@link
 * ActorState#dropAtNanos()}) on Caffeine's timer wheel, a weigher charging each state's bytes
 * against the node budget, and the node clock as its ticker. Maintenance runs on the calling
 * thread, so expiry is deterministic under a manual clock.
 *
 * <p>Over budget, Caffeine evicts by W-TinyLFU: states that are neither recent nor frequently used
 * go first. Evicted and expired states are reported to the drop listener alike.
 */
public final class CaffeineStateStore implements StateStore {
  private final Cache<Address, ActorState> cache;
  private volatile DropListener listener = (a, s, c) -> {};

  private CaffeineStateStore(MayflyClock clock, long budgetBytes) {
    this.cache =
        Caffeine.newBuilder()
            .ticker(clock::nanoTime)
            .executor(Runnable::run)
            .maximumWeight(budgetBytes)
            .weigher((Address a, ActorState s) -> s.weight())
            .expireAfter(new DeadlineExpiry(clock))
            .evictionListener(this::evicted)
            .build();
  }

  /** A store bounded to {@code budgetBytes} on the given clock. */
  public static CaffeineStateStore create(MayflyClock clock, long budgetBytes) {
    return new CaffeineStateStore(clock, budgetBytes);
  }

  private void evicted(Address address, ActorState state, RemovalCause cause) {
    if (address == null || state == null) {
      return;
    }
    if (cause == RemovalCause.EXPIRED) {
      listener.dropped(address, state, DropCause.EXPIRED);
    } else if (cause == RemovalCause.SIZE) {
      listener.dropped(address, state, DropCause.EVICTED);
    }
  }

  @Override
  public ActorState get(Address address) {
    return cache.getIfPresent(address);
  }

  @Override
  public ActorState peek(Address address) {
    return cache.policy().getIfPresentQuietly(address);
  }

  @Override
  public void put(Address address, ActorState state) {
    cache.put(address, state);
  }

  @Override
  public void remove(Address address) {
    cache.invalidate(address);
  }

  @Override
  public void removeType(String type) {
    cache.asMap().keySet().removeIf(a -> a.type().equals(type));
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
  public long actorCount() {
    return cache.estimatedSize();
  }

  @Override
  public long weightedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  @Override
  public void runMaintenance() {
    cache.cleanUp();
  }

  @Override
  public void onDrop(DropListener listener) {
    this.listener = listener;
  }

  /** Each state carries its own absolute deadline; reads do not move it (turns do, on commit). */
  private record DeadlineExpiry(MayflyClock clock) implements Expiry<Address, ActorState> {
    @Override
    public long expireAfterCreate(Address key, ActorState value, long currentTime) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(
        Address key, ActorState value, long currentTime, long currentDuration) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterRead(
        Address key, ActorState value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private static long remaining(ActorState value, long now) {
      long at = value.dropAtNanos();
      if (at == Long.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, at - now);
    }
  }
}
