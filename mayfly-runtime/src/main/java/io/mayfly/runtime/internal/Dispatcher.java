package io.mayfly.runtime.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs actor cells that have messages: on CPU workers, or on the calling thread for tests. */
sealed interface Dispatcher {
  void schedule(Runnable cell);

  void shutdown(Duration wait);

  /**
   * @param spin how long a worker that ran out of work looks for more before it sleeps
   */
  static Dispatcher workers(int parallelism, Duration spin) {
    return new Workers(Threads.workers(parallelism), spin.toNanos());
  }

  static Dispatcher callingThread() {
    return new CallingThread();
  }

  /**
   * A fixed pool of CPU workers.
   *
   * <p>A cell made ready by a turn on a worker (a send, an ask or a reply to an idle local actor)
   * runs next on that same worker, after the current cell, instead of going through the pool: a
   * chain of hand-offs between actors then stays on one warm core and wakes no other thread. Like a
   * "run next" slot, it holds one cell; a second one made ready by the same turn pushes the first
   * to the pool, where idle workers can steal it, so a fan-out still spreads. A worker runs at most
   * {@value #MAX_CHAIN} cells in a row this way before it passes the next one to the pool, so a
   * pair of actors messaging each other cannot keep it from its queue.
   *
   * <p>Every cell that goes to the pool goes to its shared submission queues, also from a worker
   * ({@link ForkJoinPool#externalSubmit}), never to the worker's own queue: a worker runs tasks of
   * its own queue until that queue is empty before it looks at the shared ones, so a cell that
   * yielded after its batch and went back to its worker's queue would run again and again while
   * cells made ready from outside wait behind it (an actor with a long mailbox could starve every
   * other actor until its mailbox was empty). In the shared queues a yielding cell goes to the
   * back, behind everything made ready before it.
   */
  static final class Workers implements Dispatcher {
    static final int MAX_CHAIN = 64;

    final ForkJoinPool pool;
    private final long spinNanos;

    /**
     * Whether a worker is spinning: one is enough to pick up the next cell at once, and the other
     * cores stay free for the threads that produce the work (ingress, the application).
     */
    private final AtomicBoolean spinning = new AtomicBoolean();

    Workers(ForkJoinPool pool, long spinNanos) {
      this.pool = pool;
      this.spinNanos = spinNanos;
    }

    /**
     * Waits up to the spin time for a cell to be submitted, so the next one starts on a running
     * thread rather than one that must first be woken (the pool's workers sleep as soon as they
     * find nothing). Returns at once when there is one, and does not spin while another worker runs
     * or spins.
     */
    void spinForWork() {
      // Only the last worker awake spins: while others still run, the cores are busy, and a spin
      // would take one from them or from the threads producing the work (on 2 cores that cost the
      // sensor benchmark 10 % of its throughput); when all others sleep, a core is idle anyway.
      if (spinNanos <= 0
          || pool.getActiveThreadCount() > 1
          || !spinning.compareAndSet(false, true)) {
        return;
      }
      try {
        long end = System.nanoTime() + spinNanos;
        while (!pool.hasQueuedSubmissions() && System.nanoTime() - end < 0) {
          Thread.onSpinWait();
        }
      } finally {
        spinning.set(false);
      }
    }

    @Override
    public void schedule(Runnable cell) {
      if (Thread.currentThread() instanceof Threads.Worker w
          && w.getPool() == pool
          && w.current != null
          && w.current != cell) {
        Runnable bumped = w.next;
        w.next = cell;
        if (bumped != null) {
          pool.externalSubmit(new Chain(bumped, this));
        }
        return;
      }
      pool.externalSubmit(new Chain(cell, this));
    }

    /** Runs a cell, then the cells it made ready, on the worker that took it. */
    private static final class Chain extends ForkJoinTask<Void> {
      private static final long serialVersionUID = 1L;

      private final transient Runnable first;
      private final transient Workers workers;

      Chain(Runnable first, Workers workers) {
        this.first = first;
        this.workers = workers;
      }

      @Override
      protected boolean exec() {
        var w = (Threads.Worker) Thread.currentThread();
        Runnable cell = first;
        for (int run = 1; ; run++) {
          w.current = cell;
          try {
            cell.run();
          } catch (RuntimeException | Error e) {
            // The cells this one made ready must not wait for this worker's next task.
            w.current = null;
            Runnable pending = w.next;
            w.next = null;
            if (pending != null) {
              workers.pool.externalSubmit(new Chain(pending, workers));
            }
            throw e;
          }
          w.current = null;
          cell = w.next;
          w.next = null;
          if (cell == null) {
            workers.spinForWork();
            return true;
          }
          if (run >= MAX_CHAIN) {
            workers.pool.externalSubmit(new Chain(cell, workers));
            return true;
          }
        }
      }

      @Override
      public Void getRawResult() {
        return null;
      }

      @Override
      protected void setRawResult(Void value) {}
    }

    @Override
    public void shutdown(Duration wait) {
      pool.shutdown();
      try {
        pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool.shutdownNow();
    }
  }

  /**
   * Runs cells on the thread that scheduled them, one after another, until none is ready: a
   * trampoline, so a turn that sends to itself does not recurse.
   */
  final class CallingThread implements Dispatcher {
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private boolean draining;

    @Override
    public void schedule(Runnable cell) {
      synchronized (this) {
        ready.add(cell);
        if (draining) {
          return;
        }
        draining = true;
      }
      for (; ; ) {
        Runnable next;
        synchronized (this) {
          next = ready.poll();
          if (next == null) {
            draining = false;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException | Error e) {
          synchronized (this) {
            draining = false;
          }
          throw e;
        }
      }
    }

    @Override
    public void shutdown(Duration wait) {}
  }
}
