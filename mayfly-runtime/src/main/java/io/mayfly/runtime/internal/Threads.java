package io.mayfly.runtime.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Every thread a node starts is created here. */
final class Threads {
  private Threads() {}

  /**
   * A CPU worker, with the cell it is running and the cell that runs next on it ({@link
   * Dispatcher.Workers}). Both fields are touched only by the worker itself.
   */
  static final class Worker extends ForkJoinWorkerThread {
    Runnable current;
    Runnable next;

    Worker(ForkJoinPool pool) {
      super(null, pool, true);
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
