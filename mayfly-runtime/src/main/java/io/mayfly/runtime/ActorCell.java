package io.mayfly.runtime;

import io.mayfly.wasm.GuestInstance;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The mailbox and scheduling state of an actor that has messages. It exists only while messages are
 * queued or running; an idle actor is just its state in the store.
 *
 * <p>At most one worker runs a cell at a time (the {@code scheduled} flag), so an actor handles one
 * message at a time and in order. A cell handles up to a batch of messages per activation and then
 * yields its worker, which keeps actors fair to each other.
 *
 * <p>The mailbox is an intrusive multi-producer, single-consumer queue of {@link Envelope}s (the
 * envelopes are the links): a producer swaps itself in as the tail and then links its predecessor
 * to it; the one worker running the cell consumes from the head. {@code size} counts a message
 * before it is linked, so a worker that sees a count but not yet the link schedules the cell again.
 */
final class ActorCell extends MailboxLink implements Runnable {
  /** What a cell needs from its node: the dispatcher, the turn runner and the cell registry. */
  interface Host {
    int batchSize();

    Dispatcher dispatcher();

    /** Counts an envelope into ({@code +1}) or out of ({@code -1}) the node's queues. */
    void queued(Envelope envelope, int delta);

    /**
     * Runs one message as a turn.
     *
     * @param guest the instance the cell holds for its batch, or {@code null}
     * @return the instance to keep for the next message of the batch, or {@code null}
     */
    GuestInstance runTurn(ActorCell cell, Envelope envelope, GuestInstance guest);

    /** Returns a batch's instance to its pool. */
    void release(Address address, GuestInstance guest);

    /** Forgets a cell whose mailbox is empty and retired. */
    void retire(ActorCell cell);
  }

  /** The size after retirement: offers fail and the sender makes a new cell. */
  private static final int RETIRED = Integer.MIN_VALUE / 2;

  enum Offer {
    ACCEPTED,
    FULL,
    RETIRED,
    /** Refused before it reached a cell: the node's queue budget is spent. */
    OVER_BUDGET
  }

  private static final VarHandle TAIL;
  private static final VarHandle SIZE;
  private static final VarHandle SCHEDULED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(ActorCell.class, "tail", MailboxLink.class);
      SIZE = lookup.findVarHandle(ActorCell.class, "size", int.class);
      SCHEDULED = lookup.findVarHandle(ActorCell.class, "scheduled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Address address;
  private final Host node;

  /**
   * The last envelope consumed, at first the cell itself (its {@link #next} links the first
   * envelope queued); only the running worker touches it.
   */
  private MailboxLink head;

  @SuppressWarnings("unused") // through TAIL
  private volatile MailboxLink tail;

  private volatile int size;

  @SuppressWarnings("unused") // through SCHEDULED
  private volatile boolean scheduled;

  ActorCell(Address address, Host node) {
    this.address = address;
    this.node = node;
    this.head = this;
    this.tail = this;
  }

  /**
   * Queues a message and schedules the cell if it is idle.
   *
   * @param capacity the mailbox capacity; system messages (replies, timers, expiry) pass {@link
   *     Integer#MAX_VALUE} so they are never refused
   */
  Offer offer(Envelope envelope, int capacity) {
    for (; ; ) {
      int s = size;
      if (s < 0) {
        return Offer.RETIRED;
      }
      if (s >= capacity) {
        return Offer.FULL;
      }
      if (SIZE.compareAndSet(this, s, s + 1)) {
        break;
      }
    }
    MailboxLink previous = (MailboxLink) TAIL.getAndSet(this, envelope);
    previous.next = envelope;
    node.queued(envelope, 1);
    if (SCHEDULED.compareAndSet(this, false, true)) {
      node.dispatcher().schedule(this);
    }
    return Offer.ACCEPTED;
  }

  /** The next queued envelope, or {@code null} if none is linked yet. Running worker only. */
  private Envelope poll() {
    Envelope first = head.next;
    if (first != null) {
      if (head == this) {
        // No producer writes the cell's link again (the tail has moved past it): let go of the
        // first envelope, which would otherwise stay reachable while the cell lives.
        next = null;
      }
      head = first;
    }
    return first;
  }

  @Override
  public void run() {
    GuestInstance guest = null;
    try {
      int batch = node.batchSize();
      for (int i = 0; i < batch; i++) {
        Envelope e = poll();
        if (e == null) {
          break;
        }
        SIZE.getAndAdd(this, -1);
        node.queued(e, -1);
        guest = node.runTurn(this, e, guest);
      }
    } finally {
      node.release(address, guest);
      yieldWorker();
    }
  }

  /**
   * Ends a run: retires the cell if its mailbox is empty, else lets it be scheduled again.
   *
   * <p>The empty mailbox is retired while this run still holds the cell ({@code scheduled}), so no
   * other worker can be running it: a sender then finds the cell retired and makes a new one, whose
   * turns cannot overlap this cell's. (Releasing the cell first would let a message sent meanwhile
   * start a run on another worker, which could empty the mailbox again before this thread looked at
   * it; this thread would then retire a cell whose turn was still running, and the actor's next
   * message would start a second cell beside it: two turns of one actor at once.)
   */
  private void yieldWorker() {
    if (SIZE.compareAndSet(this, 0, RETIRED)) {
      node.retire(this); // stays scheduled: a retired cell never runs again
      return;
    }
    scheduled = false;
    if (size > 0 && SCHEDULED.compareAndSet(this, false, true)) {
      node.dispatcher().schedule(this);
    }
  }
}
