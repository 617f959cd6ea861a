package io.mayfly.wasm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces turn deadlines by interrupting the thread that runs a guest: Chicory's compiled code
 * checks the interrupt flag on calls and backward branches and unwinds with an exception.
 *
 * <p>One scanner thread serves all guarded threads, so arming a deadline costs two volatile writes
 * instead of a scheduled task per turn. Deadlines are enforced to the scan resolution. A guarded
 * thread is interrupted only while its own guard is armed, never after it has moved on: {@link
 * Slot#disarm()} waits for an interrupt in flight and clears it.
 *
 * <p>The scanner must not die silently: without it no deadline is enforced and a looping guest
 * holds its worker forever. If anything escapes its loop (an {@link OutOfMemoryError}, a bug), it
 * is logged and reported by {@link #problems()}, which a node's health check reads.
 */
public final class Watchdog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final long resolutionNanos;
  private final Thread scanner;
  private volatile boolean closed;

  /** Why the scanner died, or {@code null} while it runs (or after an orderly close). */
  private volatile String died;

  /** Runs on the scanner at every scan; tests make it throw to kill the scanner. */
  volatile Runnable scanHook = () -> {};

  private Watchdog(Duration resolution, ThreadFactory threads) {
    if (resolution.isNegative() || resolution.isZero()) {
      throw new IllegalArgumentException("watchdog resolution must be positive: " + resolution);
    }
    this.resolutionNanos = resolution.toNanos();
    this.scanner = threads.newThread(this::scan);
    scanner.setDaemon(true);
    scanner.start();
  }

  /** Starts a watchdog that checks deadlines every {@code resolution}. */
  public static Watchdog start(Duration resolution, ThreadFactory threads) {
    return new Watchdog(resolution, threads);
  }

  /** Registers a thread (usually the current one) whose guest calls can be bounded. */
  public Slot register(Thread thread) {
    var slot = new Slot(thread);
    slots.add(slot);
    return slot;
  }

  private void scan() {
    try {
      while (!closed) {
        LockSupport.parkNanos(resolutionNanos);
        scanHook.run();
        long now = System.nanoTime();
        for (Slot slot : slots) {
          slot.fireIfLate(now);
        }
      }
    } catch (Throwable t) {
      died = "watchdog thread died: " + t.getClass().getSimpleName();
      LOG.log(
          System.Logger.Level.ERROR,
          "the watchdog thread died; turn deadlines are no longer enforced",
          t);
    }
  }

  /**
   * What is broken: empty while the scanner runs, else one entry such as {@code "watchdog thread
   * died: OutOfMemoryError"}.
   */
  public List<String> problems() {
    String d = died;
    return d == null ? List.of() : List.of(d);
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(scanner);
  }

  /** A thread's deadline guard. Arm and disarm it on the guarded thread only. */
  public final class Slot implements AutoCloseable {
    private static final int IDLE = 0;
    private static final int ARMED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile long deadlineNanos;

    private Slot(Thread thread) {
      this.thread = thread;
    }

    /** Arms the guard: the thread is interrupted once {@code timeout} has passed. */
    public void arm(Duration timeout) {
      arm(System.nanoTime(), timeout);
    }

    /**
     * Arms the guard from a reading of {@link System#nanoTime()} the caller has just taken, so a
     * turn reads the clock once for its own time and its deadline.
     */
    public void arm(long nowNanos, Duration timeout) {
      deadlineNanos = nowNanos + timeout.toNanos();
      state.set(ARMED);
    }

    /**
     * Disarms the guard and clears an interrupt it caused.
     *
     * @return whether the deadline fired while the guard was armed
     */
    public boolean disarm() {
      if (state.compareAndSet(ARMED, IDLE)) {
        return false;
      }
      while (state.get() == FIRING) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      state.set(IDLE);
      return true;
    }

    void fireIfLate(long now) {
      if (state.get() == ARMED && now - deadlineNanos >= 0 && state.compareAndSet(ARMED, FIRING)) {
        thread.interrupt();
        state.set(FIRED);
      }
    }

    /** Removes this slot from the watchdog; the thread is no longer guarded. */
    @Override
    public void close() {
      slots.remove(this);
    }
  }
}
