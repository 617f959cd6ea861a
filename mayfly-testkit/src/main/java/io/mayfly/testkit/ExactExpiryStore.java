package io.mayfly.testkit;

import io.mayfly.runtime.ActorState;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.StateStore;
import java.util.List;

/**
 * The node's in-memory store, made to drop the actor under test exactly when its deadline passes.
 *
 * <p>Why: the in-memory store expires states on Caffeine's timer wheel, whose finest buckets span
 * 2^30 ns (about 1.07 s); a state is only dropped once the clock crosses the bucket boundary after
 * its deadline. A 500 ms TTL then gets its expiry turn at about 1.1 s, and a message that arrives
 * in between starts a fresh actor that the late expiry turn follows. The kit promises that the
 * expiry turn runs at the deadline, so after each maintenance it drops the actor under test itself
 * if its deadline has passed and the wheel has not dropped it yet. Everything else is the node's
 * store.
 */
final class ExactExpiryStore implements StateStore {
  private final StateStore delegate;
  private final MayflyClock clock;
  private final Address self;
  private DropListener listener = (address, state, cause) -> {};
  private ActorState committed;
  private boolean dropReported;

  ExactExpiryStore(StateStore delegate, MayflyClock clock, Address self) {
    this.delegate = delegate;
    this.clock = clock;
    this.self = self;
    delegate.onDrop(this::dropped);
  }

  private void dropped(Address address, ActorState state, DropCause cause) {
    if (self.equals(address)) {
      committed = null;
      dropReported = true;
    }
    listener.dropped(address, state, cause);
  }

  @Override
  public void runMaintenance() {
    delegate.runMaintenance();
    ActorState s = committed;
    if (s == null || s.dropAtNanos() == Long.MAX_VALUE || s.dropAtNanos() - clock.nanoTime() > 0) {
      return;
    }
    dropReported = false;
    committed = null;
    delegate.remove(self);
    if (!dropReported) {
      listener.dropped(self, s, DropCause.EXPIRED);
    }
  }

  @Override
  public ActorState get(Address address, long nowNanos) {
    return delegate.get(address, nowNanos);
  }

  @Override
  public ActorState peek(Address address) {
    return delegate.peek(address);
  }

  @Override
  public void put(Address address, ActorState state, long nowNanos) {
    if (self.equals(address)) {
      committed = state;
    }
    delegate.put(address, state, nowNanos);
  }

  @Override
  public void remove(Address address) {
    if (self.equals(address)) {
      committed = null;
    }
    delegate.remove(address);
  }

  @Override
  public void removeType(String type) {
    if (self.type().equals(type)) {
      committed = null;
    }
    delegate.removeType(type);
  }

  @Override
  public List<Address> addresses(String type, int offset, int limit) {
    return delegate.addresses(type, offset, limit);
  }

  @Override
  public long actorCount() {
    return delegate.actorCount();
  }

  @Override
  public long weightedBytes() {
    return delegate.weightedBytes();
  }

  @Override
  public void onDrop(DropListener listener) {
    this.listener = listener;
  }
}
