package io.mayfly.runtime.internal;

import io.mayfly.runtime.Address;
import io.mayfly.wasm.GuestInstance;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mailbox and scheduling state of an actor that has messages. It exists only while messages are
 * queued or running; an idle actor is just its state in the store.
 *
 * <p>At most one worker runs a cell at a time (the {@code scheduled} flag), so an actor handles one
 * message at a time and in order. A cell handles up to a batch of messages per activation and then
 * yields its worker, which keeps actors fair to each other.
 */
final class ActorCell implements Runnable {
  /** The size after retirement: offers fail and the sender makes a new cell. */
  private static final int RETIRED = Integer.MIN_VALUE / 2;

  enum Offer {
    ACCEPTED,
    FULL,
    RETIRED
  }

  final Address address;
  private final Node node;
  private final ConcurrentLinkedQueue<Envelope> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  ActorCell(Address address, Node node) {
    this.address = address;
    this.node = node;
  }

  /**
   * Queues a message and schedules the cell if it is idle.
   *
   * @param capacity the mailbox capacity; system messages (replies, timers, expiry) pass {@link
   *     Integer#MAX_VALUE} so they are never refused
   */
  Offer offer(Envelope envelope, int capacity) {
    for (; ; ) {
      int s = size.get();
      if (s < 0) {
        return Offer.RETIRED;
      }
      if (s >= capacity) {
        return Offer.FULL;
      }
      if (size.compareAndSet(s, s + 1)) {
        break;
      }
    }
    mailbox.offer(envelope);
    node.queued(1);
    if (scheduled.compareAndSet(false, true)) {
      node.dispatcher().schedule(this);
    }
    return Offer.ACCEPTED;
  }

  int depth() {
    return Math.max(0, size.get());
  }

  @Override
  public void run() {
    GuestInstance guest = null;
    try {
      int batch = node.batchSize();
      for (int i = 0; i < batch; i++) {
        Envelope e = mailbox.poll();
        if (e == null) {
          break;
        }
        size.decrementAndGet();
        node.queued(-1);
        guest = node.runTurn(address, e, guest);
      }
    } finally {
      node.release(address, guest);
      scheduled.set(false);
    }
    if (size.get() > 0) {
      if (scheduled.compareAndSet(false, true)) {
        node.dispatcher().schedule(this);
      }
    } else if (size.compareAndSet(0, RETIRED)) {
      node.retire(this);
    }
  }
}
