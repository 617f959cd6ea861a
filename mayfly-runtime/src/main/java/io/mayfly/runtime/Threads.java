package io.mayfly.runtime;

import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.InstancePool;
import java.util.IdentityHashMap;
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
  static final class Worker extends Thread {
    /** The dispatcher whose worker this is. */
    final Dispatcher.Workers dispatcher;

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

    Worker(Dispatcher.Workers dispatcher, String name, Runnable work) {
      super(work, name);
      this.dispatcher = dispatcher;
      setDaemon(true);
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
   * A CPU worker of a dispatcher, {@code mayfly-worker-<n>}: a daemon platform thread. Turns never
   * block on I/O (effects are buffered), so a fixed number of them, one per core, keeps the cores
   * busy.
   */
  static Worker worker(Dispatcher.Workers dispatcher, int n, Runnable work) {
    return new Worker(dispatcher, "mayfly-worker-" + n, work);
  }
}
