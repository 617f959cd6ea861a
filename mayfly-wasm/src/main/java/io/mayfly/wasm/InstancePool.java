package io.mayfly.wasm;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle instances of one module version. A thread borrows an instance for a batch of turns and
 * returns it; broken instances are dropped, and idle ones beyond {@code maxIdle} are left to the
 * garbage collector. Instances are never shared across module versions: each version has its own
 * pool.
 */
public final class InstancePool {
  private final ActorModule module;
  private final int maxIdle;
  private final ConcurrentLinkedQueue<GuestInstance> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicInteger created = new AtomicInteger();
  private volatile boolean cleared;

  private InstancePool(ActorModule module, int maxIdle) {
    this.module = module;
    this.maxIdle = maxIdle;
  }

  /** A pool for one compiled module that keeps at most {@code maxIdle} idle instances. */
  public static InstancePool create(ActorModule module, int maxIdle) {
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative, was " + maxIdle);
    }
    return new InstancePool(module, maxIdle);
  }

  /** The module whose instances this pool holds. */
  public ActorModule module() {
    return module;
  }

  /**
   * An idle instance, or a new one. Instantiation runs the module's start code: arm the calling
   * thread's watchdog slot first.
   */
  public GuestInstance borrow() {
    GuestInstance guest = idle.poll();
    if (guest != null) {
      idleCount.decrementAndGet();
      return guest;
    }
    created.incrementAndGet();
    return module.instantiate();
  }

  /**
   * Returns an instance after use; broken instances, and any after {@link #clear()}, are discarded.
   */
  public void release(GuestInstance guest) {
    if (guest.broken() || guest.module() != module || cleared) {
      return;
    }
    if (idleCount.incrementAndGet() <= maxIdle) {
      idle.offer(guest);
    } else {
      idleCount.decrementAndGet();
    }
  }

  /**
   * Drops every idle instance and keeps none returned later (after a redeploy or undeploy). Threads
   * that keep instances of their own check {@link #cleared()} to let theirs go too.
   */
  public void clear() {
    cleared = true;
    while (idle.poll() != null) {
      idleCount.decrementAndGet();
    }
  }

  /** Whether {@link #clear()} was called: the module version is no longer deployed. */
  public boolean cleared() {
    return cleared;
  }
}
