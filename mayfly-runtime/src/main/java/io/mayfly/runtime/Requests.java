package io.mayfly.runtime;

import io.mayfly.wasm.MayflyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The asks this node waits for, by request id: asks from outside (a future) and asks its actors
 * made (a REPLY to deliver). Each is answered once: by an {@link Answer} (from a turn here or on
 * another node), by a failure, or by its timeout, whichever comes first; answering it cancels its
 * timeout.
 *
 * <p>Request ids are unique on this node and start at a random point (at 1 on a manual clock), so a
 * restarted node does not take a late answer meant for its predecessor. {@link RequestRef} pairs
 * them with the node id, so no two nodes' requests are ever confused. Reply handles are the ref as
 * text, so any node can answer a request through the placement.
 */
final class Requests {
  private static final String HANDLE_PREFIX = "mayfly:";

  /** Who is waiting: a future outside the actor system, or an actor expecting a REPLY. */
  sealed interface Pending {
    Address target();
  }

  /**
   * @param confirm whether it waits for a confirmed tell's turn rather than for an ask's reply
   */
  record External(
      Address target, CompletableFuture<byte[]> future, Duration timeout, boolean confirm)
      implements Pending {
    External(Address target, CompletableFuture<byte[]> future, Duration timeout) {
      this(target, future, timeout, false);
    }

    /** What a timeout says it waited for. */
    String awaited() {
      return (confirm ? "no confirmation from " : "no reply from ") + target;
    }
  }

  /**
   * @param trace the span of the asking turn: the REPLY of a timeout or failure belongs to it
   */
  record FromActor(Address target, Address asker, long correlationId, TraceContext trace)
      implements Pending {}

  /** A pending request and its timeout in the node's timers. */
  private static final class Waiting {
    final Pending pending;
    volatile Timers.Due timeout;

    Waiting(Pending pending) {
      this.pending = pending;
    }
  }

  private final String nodeId;
  private final ConcurrentHashMap<Long, Waiting> pending = new ConcurrentHashMap<>();

  /** Per asking actor, how many of its asks are pending: each will bring a REPLY to its mailbox. */
  private final ConcurrentHashMap<Address, java.util.concurrent.atomic.AtomicInteger> byAsker =
      new ConcurrentHashMap<>();

  private final AtomicLong ids;
  private final Timers timers;
  private final Consumer<Message.Reply> toActor;

  /**
   * @param firstId the id before the first request's
   * @param toActor delivers the REPLY that answers an actor's ask
   */
  Requests(String nodeId, long firstId, Timers timers, Consumer<Message.Reply> toActor) {
    this.nodeId = nodeId;
    this.ids = new AtomicLong(firstId);
    this.timers = timers;
    this.toActor = toActor;
  }

  /**
   * The request that waits for the turn of {@code m}, wherever it is held: an ask's or a confirmed
   * tell's; {@code null} for other messages.
   */
  static RequestRef waitingFor(Message m) {
    return switch (m) {
      case Message.Ask ask -> ask.request();
      case Message.ConfirmedTell tell -> tell.request();
      default -> null;
    };
  }

  /** Whether this node holds {@code request}. */
  boolean holds(RequestRef request) {
    return nodeId.equals(request.node());
  }

  /** Registers a request that times out at {@code deadlineNanos} on the node clock. */
  RequestRef register(Pending p, long deadlineNanos) {
    if (p instanceof FromActor f) {
      byAsker
          .computeIfAbsent(f.asker(), a -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
    }
    long id = ids.incrementAndGet();
    var waiting = new Waiting(p);
    pending.put(id, waiting);
    waiting.timeout = timers.schedule(deadlineNanos, () -> timeout(id));
    if (!pending.containsKey(id)) {
      // Answered before its timeout was in place: nothing would cancel it.
      timers.cancel(waiting.timeout);
    }
    return new RequestRef(nodeId, id);
  }

  /** Removes a request to answer it, with its timeout; {@code null} if it was answered already. */
  private Pending take(long id) {
    Waiting w = pending.remove(id);
    if (w == null) {
      return null;
    }
    Timers.Due timeout = w.timeout;
    if (timeout != null) {
      timers.cancel(timeout);
    }
    if (w.pending instanceof FromActor f) {
      byAsker.computeIfPresent(f.asker(), (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
    return w.pending;
  }

  boolean isPending(RequestRef request) {
    return !holds(request) || pending.containsKey(request.id());
  }

  /**
   * Answers a request this node holds; returns whether it was still pending (a late answer is
   * dropped).
   */
  boolean complete(Answer a) {
    Pending p = take(a.request().id());
    if (p == null) {
      return false;
    }
    if (p instanceof External e) {
      if (a.status() == ReplyStatus.OK) {
        e.future.complete(a.payload());
      } else {
        e.future.completeExceptionally(asException(a, e));
      }
    } else if (p instanceof FromActor f) {
      TraceContext trace = a.trace() != null ? a.trace() : f.trace();
      toActor.accept(
          new Message.Reply(
              f.asker(), a.payload(), f.target(), f.correlationId(), a.status(), trace));
    }
    return true;
  }

  private static MayflyException asException(Answer a, External e) {
    String text = new String(a.payload(), StandardCharsets.UTF_8);
    return switch (a.status()) {
      case FAILED -> new TurnFailedException(a.reason(), text);
      case TIMEOUT ->
          new AskTimeoutException(e.awaited() + " within " + Durations.format(e.timeout()));
      case UNDELIVERABLE -> new UndeliverableException(text);
      case OK -> throw new IllegalArgumentException("not a failure");
    };
  }

  /**
   * Fails a request with {@code error}: a future gets the exception itself, an asking actor a REPLY
   * with {@code status} and the error's message.
   */
  void fail(RequestRef request, ReplyStatus status, MayflyException error) {
    Pending p = take(request.id());
    if (p instanceof External e) {
      e.future.completeExceptionally(error);
    } else if (p instanceof FromActor f) {
      byte[] reason =
          status == ReplyStatus.TIMEOUT
              ? new byte[0]
              : String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8);
      toActor.accept(
          new Message.Reply(f.asker(), reason, f.target(), f.correlationId(), status, f.trace()));
    }
  }

  private void timeout(long id) {
    Waiting w = pending.get(id);
    if (w == null) {
      return;
    }
    Pending p = w.pending;
    String waited =
        p instanceof External e
            ? e.awaited() + " within " + Durations.format(e.timeout)
            : "no reply from " + p.target();
    fail(new RequestRef(nodeId, id), ReplyStatus.TIMEOUT, new AskTimeoutException(waited));
  }

  /** Fails every pending request with {@code error} (the node is closing). */
  void failAll(MayflyException error) {
    for (Long id : pending.keySet()) {
      fail(new RequestRef(nodeId, id), ReplyStatus.UNDELIVERABLE, error);
    }
  }

  static byte[] handle(RequestRef request) {
    return (HANDLE_PREFIX + request.node() + ":" + request.id())
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The request a handle names, or {@code null} if the bytes are not a handle. */
  static RequestRef parseHandle(byte[] handle) {
    String s = new String(handle, StandardCharsets.US_ASCII);
    int colon = s.lastIndexOf(':');
    if (!s.startsWith(HANDLE_PREFIX) || colon <= HANDLE_PREFIX.length()) {
      return null;
    }
    try {
      long id = Long.parseLong(s.substring(colon + 1));
      return id > 0 ? new RequestRef(s.substring(HANDLE_PREFIX.length(), colon), id) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  int size() {
    return pending.size();
  }

  /** How many asks {@code asker} has pending. */
  int pendingOf(Address asker) {
    var n = byAsker.get(asker);
    return n == null ? 0 : n.get();
  }
}
