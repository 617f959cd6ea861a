package io.mayfly.runtime.internal;

import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.InstancePool;
import java.util.IdentityHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Every thread a node starts is created here. */
final class Threads {
  private Threads() {}

  /**
   * A CPU worker, with the cell it is running and the cell that runs next on it ({@link
   * Dispatcher.Workers}), and the Wasm instances it keeps for its own turns. All fields are touched
   * only by the worker itself.
   */
  static final class Worker extends ForkJoinWorkerThread {
    Runnable current;
    Runnable next;

    /**
     * One instance per deployed type version, borrowed from its pool once and kept: a worker runs
     * one turn at a time, so its turns of a type can all use the same instance, with no hand-over
     * through the shared pool per turn. The pool creates as many instances as before (one per
     * worker and type), they just stay where they are used.
     */
    private final IdentityHashMap<InstancePool, GuestInstance> instances = new IdentityHashMap<>();

    private int typesEpoch;

    Worker(ForkJoinPool pool) {
      super(null, pool, true);
    }

    /**
     * This worker's instance of a type version; borrowed from the pool the first time. Run it with
     * the watchdog armed: a first borrow runs the module's start code.
     *
     * @param epoch the node's count of deploys and undeploys: when it moved, instances of versions
     *     no longer deployed are let go
     */
    GuestInstance instance(InstancePool pool, int epoch) {
      if (epoch != typesEpoch) {
        instances.keySet().removeIf(InstancePool::cleared);
        typesEpoch = epoch;
      }
      GuestInstance guest = instances.get(pool);
      if (guest == null) {
        guest = pool.borrow();
        instances.put(pool, guest);
      }
      return guest;
    }

    /** Lets go of this worker's instance of a type version (it broke). */
    void discard(InstancePool pool) {
      instances.remove(pool);
    }
  }

  /** Daemon platform threads named {@code mayfly-<role>-<n>}. */
  static ThreadFactory daemon(String role) {
    var counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "mayfly-" + role + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The CPU workers that run turns: a work-stealing pool in FIFO mode, sized to the cores. Turns
   * never block on I/O (effects are buffered), so the pool never needs compensation threads.
   */
  static ForkJoinPool workers(int parallelism) {
    var counter = new AtomicInteger();
    ForkJoinPool.ForkJoinWorkerThreadFactory factory =
        pool -> {
          var t = new Worker(pool);
          t.setName("mayfly-worker-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ForkJoinPool(
        parallelism,
        factory,
        (t, e) ->
            System.getLogger(Threads.class.getName())
                .log(System.Logger.Level.ERROR, "worker " + t.getName() + " died", e),
        true,
        parallelism,
        parallelism,
        1,
        p -> false,
        60,
        java.util.concurrent.TimeUnit.SECONDS);
  }
}
