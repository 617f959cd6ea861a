package io.mayfly.mqtt;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.InvalidAddressException;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MessageTooLargeException;
import io.mayfly.runtime.NodeClosedException;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Tracing;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.runtime.UnknownActorTypeException;
import io.mayfly.wasm.MayflyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts inbound messages into mailboxes and acknowledges them once taken, or, when confirming, once
 * their turn is confirmed ({@link Mayfly#tellConfirmed}). A message that finds its actor's mailbox
 * full waits in a per-actor queue, retried on the scheduler with backoff; later messages for that
 * actor queue behind it, so each actor still sees the broker's order. Nothing here blocks the
 * thread that calls {@link #offer}, which is a Netty I/O thread.
 */
final class InboundDelivery {
  private static final System.Logger LOG = System.getLogger(InboundDelivery.class.getName());

  /**
   * A message on its way to an actor, with the way to acknowledge it to the broker.
   *
   * @param span its span while the node traces, or {@code null}; ends when the message is taken or
   *     refused
   */
  record Inbound(
      String topic, Address target, byte[] payload, int qos, Runnable ack, Tracing.EdgeSpan span) {
    TraceContext trace() {
      return span == null ? null : span.context();
    }

    void ended(String error) {
      if (span != null) {
        span.end(error);
      }
    }
  }

  private enum Outcome {
    DONE,
    FULL
  }

  /** Messages for one actor waiting for room in its mailbox. */
  private static final class Waiting {
    final ArrayDeque<Inbound> queue = new ArrayDeque<>();
    long delayNanos;

    Waiting(long delayNanos) {
      this.delayNanos = delayNanos;
    }
  }

  private final Mayfly node;
  private final ScheduledExecutorService scheduler;
  private final long initialDelayNanos;
  private final long maxDelayNanos;
  private final int maxWaiting;
  private final Counters counters;
  private final boolean confirm;
  private final Map<Address, Waiting> waiting = new HashMap<>();
  private int waitingCount;
  private boolean closed;

  /** The bridge's counters this class updates. */
  record Counters(LongAdder delivered, LongAdder rejected, LongAdder dropped, LongAdder retries) {}

  InboundDelivery(
      Mayfly node,
      ScheduledExecutorService scheduler,
      Duration initialDelay,
      Duration maxDelay,
      int maxWaiting,
      boolean confirm,
      Counters counters) {
    this.confirm = confirm;
    this.node = node;
    this.scheduler = scheduler;
    this.initialDelayNanos = initialDelay.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.maxWaiting = maxWaiting;
    this.counters = counters;
  }

  /** Delivers a message now, or queues it for retry if its actor's mailbox is full. */
  synchronized void offer(Inbound m) {
    if (closed) {
      return; // not acknowledged: the broker redelivers it to the next session
    }
    Waiting w = waitingCount == 0 ? null : waiting.get(m.target());
    if (w == null && attempt(m) == Outcome.DONE) {
      return;
    }
    if (m.qos() == 0 && waitingCount >= maxWaiting) {
      // QoS 0 promises at most once: past the bound, memory wins over delivery.
      counters.dropped().increment();
      m.ack().run();
      return;
    }
    queueForRetry(m);
  }

  /** Queues a message behind those waiting for its actor, scheduling a retry if none was. */
  private void queueForRetry(Inbound m) {
    Waiting w = waiting.get(m.target());
    if (w == null) {
      w = new Waiting(initialDelayNanos);
      waiting.put(m.target(), w);
      schedule(m.target(), w);
    }
    enqueue(w, m);
  }

  /** Forgets waiting messages without acknowledging them and stops retrying. */
  synchronized void close() {
    closed = true;
    waiting.clear();
    waitingCount = 0;
  }

  private void enqueue(Waiting w, Inbound m) {
    w.queue.add(m);
    waitingCount++;
  }

  private void schedule(Address target, Waiting w) {
    scheduler.schedule(() -> retry(target), w.delayNanos, TimeUnit.NANOSECONDS);
  }

  private synchronized void retry(Address target) {
    Waiting w = waiting.get(target);
    if (closed || w == null) {
      return;
    }
    Inbound m;
    while ((m = w.queue.peek()) != null) {
      if (attempt(m) == Outcome.FULL) {
        w.delayNanos = Math.min(maxDelayNanos, w.delayNanos * 2);
        schedule(target, w);
        return;
      }
      w.queue.poll();
      waitingCount--;
    }
    waiting.remove(target);
  }

  /** One try to put a message into its mailbox; everything but a full mailbox ends its journey. */
  private Outcome attempt(Inbound m) {
    try {
      if (confirm && m.qos() > 0) {
        node.tellConfirmed(m.target(), m.payload(), null, null, m.trace())
            .whenCompleteAsync((ok, error) -> confirmed(m, error), scheduler);
        return Outcome.DONE; // in the mailbox; acknowledged once confirmed
      }
      node.tell(m.target(), m.payload(), m.trace());
      m.ended(null);
      counters.delivered().increment();
      m.ack().run();
      return Outcome.DONE;
    } catch (MailboxFullException e) {
      counters.retries().increment();
      return Outcome.FULL;
    } catch (UnknownActorTypeException | MessageTooLargeException | InvalidAddressException e) {
      reject(counters, m.topic(), e.getMessage());
      m.ended(e.getMessage());
      m.ack().run();
      return Outcome.DONE;
    } catch (NodeClosedException e) {
      // Not acknowledged: with a persistent session the broker delivers it again later.
      counters.dropped().increment();
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "node closed; message on " + m.topic() + " left unacked");
      return Outcome.DONE;
    } catch (MayflyException e) {
      // Not one of the documented answers of tell (a cluster placement may add its own): treat
      // it as passing, keep the message and try again, rather than acknowledge what was lost.
      counters.retries().increment();
      LOG.log(
          System.Logger.Level.WARNING,
          "MQTT message on '" + m.topic() + "' not accepted, will retry: " + e.getMessage());
      return Outcome.FULL;
    }
  }

  /**
   * The end of a confirmed message's turn: acknowledged once confirmed, or once its turn failed
   * (delivering it again would fail the same way); otherwise (its actor was not reached, or no
   * confirmation came) not acknowledged, and sent again.
   */
  private void confirmed(Inbound m, Throwable error) {
    Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
    if (cause == null) {
      m.ended(null);
      counters.delivered().increment();
      m.ack().run();
    } else if (cause instanceof TurnFailedException) {
      reject(counters, m.topic(), cause.getMessage());
      m.ended(cause.getMessage());
      m.ack().run();
    } else {
      counters.retries().increment();
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "MQTT message on '" + m.topic() + "' not confirmed, will retry: " + cause);
      synchronized (this) {
        if (!closed) {
          queueForRetry(m);
        }
      }
    }
  }

  /** Counts and logs a message that can never be delivered (the caller acknowledges it). */
  static void reject(Counters counters, String topic, String reason) {
    counters.rejected().increment();
    long n = counters.rejected().sum();
    // A stream of bad messages must not flood the log: the first ten, then one in a thousand.
    if (n <= 10 || n % 1000 == 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "MQTT message on '" + topic + "' rejected (" + n + " so far): " + reason);
    }
  }
}
