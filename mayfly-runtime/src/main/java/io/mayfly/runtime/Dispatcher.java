package io.mayfly.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Runs actor cells that have messages: on CPU workers, or on the calling thread for tests. */
sealed interface Dispatcher {
  void schedule(Runnable cell);

  void shutdown(Duration wait);

  /**
   * What is broken (a worker died, or an error such as {@link OutOfMemoryError} escaped a cell);
   * empty while healthy.
   */
  List<String> problems();

  /**
   * @param spin how long a worker that ran out of work looks for more before it sleeps
   */
  static Dispatcher workers(int parallelism, Duration spin) {
    return new Workers(parallelism, spin.toNanos());
  }

  static Dispatcher callingThread() {
    return new CallingThread();
  }

  /**
   * A fixed set of CPU workers taking ready cells from one shared first-in, first-out queue.
   *
   * <p>One queue for all workers makes the order fair: a cell that yields after its batch goes to
   * the back, behind every cell made ready before it, so an actor with a long mailbox cannot keep
   * others waiting. (A work-stealing pool is not fair this way: its workers run their own queue, or
   * the last queue they took from, until it is empty, so cells that yield and come back there run
   * again and again while cells submitted elsewhere wait.) A turn is micro- to milliseconds of CPU,
   * so the few workers of a node contend little on the queue.
   *
   * <p>A cell made ready by a turn on a worker (a send, an ask or a reply to an idle local actor)
   * runs next on that same worker, after the current cell, instead of going through the queue: a
   * chain of hand-offs between actors then stays on one warm core and wakes no other thread. Like a
   * "run next" slot, it holds one cell; a second one made ready by the same turn pushes the first
   * to the queue, where an idle worker takes it, so a fan-out still spreads. A worker runs at most
   * {@value #MAX_CHAIN} cells in a row this way before it passes the next one to the queue, so a
   * pair of actors messaging each other cannot keep it from the queue.
   *
   * <p>A worker that finds the queue empty spins for up to the spin time before it sleeps, if it is
   * the only worker awake (see {@link #takeNext}).
   */
  static final class Workers implements Dispatcher {
    static final int MAX_CHAIN = 64;

    /** Problems kept; later ones are counted in the log only. */
    private static final int MAX_PROBLEMS = 16;

    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();

    /** Workers asleep, waiting to be woken for a cell. */
    private final ConcurrentLinkedDeque<Threads.Worker> sleeping = new ConcurrentLinkedDeque<>();

    private final Threads.Worker[] threads;
    private final long spinNanos;

    /** Workers not asleep. */
    private final AtomicInteger awake;

    /** Whether a worker is spinning: it takes the next cell, so no sleeper need be woken. */
    private final AtomicBoolean spinning = new AtomicBoolean();

    private volatile boolean stopping;

    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    Workers(int parallelism, long spinNanos) {
      this.spinNanos = spinNanos;
      this.awake = new AtomicInteger(parallelism);
      this.threads = new Threads.Worker[parallelism];
      for (int i = 0; i < parallelism; i++) {
        threads[i] = Threads.worker(this, i + 1, this::work);
      }
      for (Threads.Worker t : threads) {
        t.start();
      }
    }

    @Override
    public void schedule(Runnable cell) {
      if (Thread.currentThread() instanceof Threads.Worker w
          && w.dispatcher == this
          && w.current != null
          && w.current != cell) {
        Runnable bumped = w.next;
        w.next = cell;
        if (bumped != null) {
          enqueue(bumped);
        }
        return;
      }
      enqueue(cell);
    }

    /** Queues a ready cell and wakes a sleeping worker for it, unless one is spinning. */
    private void enqueue(Runnable cell) {
      ready.offer(cell);
      if (!spinning.get()) {
        wakeOne();
      }
    }

    private void wakeOne() {
      Threads.Worker w = sleeping.pollFirst();
      if (w != null) {
        LockSupport.unpark(w);
      }
    }

    /**
     * A worker's life: take a ready cell, run it and the cells it made ready, and again. If the
     * loop itself fails (a bug, or no memory left to run it), the worker is gone: that is logged
     * and reported by {@link #problems()}, never silent.
     */
    private void work() {
      var w = (Threads.Worker) Thread.currentThread();
      try {
        while (!stopping) {
          Runnable cell = takeNext(w);
          if (cell != null) {
            runChain(w, cell);
          }
        }
      } catch (Throwable t) {
        problem("worker thread " + w.getName() + " died: " + t.getClass().getSimpleName(), t);
      }
    }

    private void problem(String what, Throwable cause) {
      LOG.log(System.Logger.Level.ERROR, what + "; the node is unhealthy", cause);
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(what);
      }
    }

    @Override
    public List<String> problems() {
      return List.copyOf(problems);
    }

    /**
     * The next ready cell, or {@code null} after the worker slept (it looks again).
     *
     * <p>Before it sleeps, the last worker awake spins for up to the spin time: a cell made ready
     * meanwhile then starts at once instead of waiting for a sleeping thread to wake, which takes
     * tens of microseconds on virtual machines. Only the last one: while another worker still runs,
     * the cores are busy, and a spin would take one from it or from the threads that produce the
     * work (on 2 cores that cost a sensor benchmark a tenth of its throughput).
     */
    private Runnable takeNext(Threads.Worker w) {
      Runnable cell = ready.poll();
      if (cell == null
          && spinNanos > 0
          && awake.get() == 1
          && spinning.compareAndSet(false, true)) {
        try {
          long end = System.nanoTime() + spinNanos;
          while ((cell = ready.poll()) == null && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
          }
        } finally {
          spinning.set(false);
        }
      }
      if (cell != null) {
        if (!ready.isEmpty()) {
          wakeOne(); // more is ready: another worker takes it
        }
        return cell;
      }
      sleep(w);
      return null;
    }

    /**
     * Sleeps until woken for a cell. The worker is listed as sleeping before it looks at the queue
     * a last time, and whoever queues a cell looks at the list after queueing it: one of the two
     * sees the other, so no cell waits for a worker that sleeps on.
     */
    private void sleep(Threads.Worker w) {
      awake.decrementAndGet();
      sleeping.addFirst(w);
      try {
        if (ready.isEmpty() && !stopping) {
          LockSupport.park(this);
        }
      } finally {
        sleeping.remove(w);
        awake.incrementAndGet();
        // An interrupt here was meant for a turn that has ended, or is the shutdown: either way
        // it must not make the next sleep return at once.
        Thread.interrupted();
      }
    }

    /** Runs a cell, then the cells it made ready, up to {@value #MAX_CHAIN} in a row. */
    private void runChain(Threads.Worker w, Runnable first) {
      Runnable cell = first;
      for (int run = 1; ; run++) {
        w.current = cell;
        try {
          cell.run();
        } catch (RuntimeException e) {
          // A bug in the runtime, not in a guest (turn failures are handled inside the cell): log
          // it and keep the worker.
          LOG.log(System.Logger.Level.ERROR, "worker " + w.getName() + ": a cell failed", e);
        } catch (Error e) {
          // The JVM is in trouble (out of memory, a linkage error): the worker carries on, but the
          // node is no longer healthy.
          problem(
              "worker " + w.getName() + ": a cell failed with " + e.getClass().getSimpleName(), e);
        }
        w.current = null;
        cell = w.next;
        w.next = null;
        if (cell == null) {
          return;
        }
        if (run >= MAX_CHAIN) {
          enqueue(cell);
          return;
        }
      }
    }

    @Override
    public void shutdown(Duration wait) {
      stopping = true;
      for (Threads.Worker t : threads) {
        t.interrupt();
      }
      long deadline = System.nanoTime() + wait.toNanos();
      for (Threads.Worker t : threads) {
        try {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
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

    @Override
    public List<String> problems() {
      return List.of();
    }
  }
}
