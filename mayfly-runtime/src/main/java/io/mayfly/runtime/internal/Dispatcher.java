package io.mayfly.runtime.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/** Runs actor cells that have messages: on CPU workers, or on the calling thread for tests. */
sealed interface Dispatcher {
  void schedule(Runnable cell);

  void shutdown(Duration wait);

  static Dispatcher workers(int parallelism) {
    return new Workers(Threads.workers(parallelism));
  }

  static Dispatcher callingThread() {
    return new CallingThread();
  }

  /** A fixed pool of CPU workers. */
  record Workers(ForkJoinPool pool) implements Dispatcher {
    @Override
    public void schedule(Runnable cell) {
      pool.execute(cell);
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
