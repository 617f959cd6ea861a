package io.mayfly.runtime.internal;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.AskTimeoutException;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.wasm.MayflyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Asks waiting for their reply, by request id. A request is answered once: by a reply, by a
 * failure, or by its timeout, whichever comes first; answering it cancels its timeout. Reply
 * handles are the request id with the node id, so a handle from another node is recognised as such.
 */
final class Replies {
  private final ConcurrentHashMap<Long, Waiting> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final String handlePrefix;

  /** Who is waiting: a future outside the actor system, or an actor expecting a REPLY. */
  sealed interface Pending {
    Address target();
  }

  record External(Address target, CompletableFuture<byte[]> future, Duration timeout)
      implements Pending {}

  record FromActor(Address target, Address asker, long correlationId) implements Pending {}

  /** Delivers a REPLY message to an asking actor. */
  interface ActorReplies {
    void deliver(FromActor to, ReplyStatus status, byte[] payload);
  }

  /** A pending request and its timeout in the node's timers. */
  private static final class Waiting {
    final Pending pending;
    volatile Timers.Due timeout;

    Waiting(Pending pending) {
      this.pending = pending;
    }
  }

  private final ActorReplies actorReplies;
  private final Timers timers;

  Replies(String nodeId, ActorReplies actorReplies, Timers timers) {
    this.handlePrefix = "mayfly:" + nodeId + ":";
    this.actorReplies = actorReplies;
    this.timers = timers;
  }

  /**
   * Registers a request that times out at {@code deadlineNanos} on the node clock.
   *
   * @return its request id
   */
  long register(Pending p, long deadlineNanos) {
    long id = ids.incrementAndGet();
    var waiting = new Waiting(p);
    pending.put(id, waiting);
    waiting.timeout = timers.schedule(deadlineNanos, () -> timeout(id));
    if (!pending.containsKey(id)) {
      // Answered before its timeout was in place: nothing would cancel it.
      timers.cancel(waiting.timeout);
    }
    return id;
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
    return w.pending;
  }

  boolean isPending(long id) {
    return pending.containsKey(id);
  }

  void complete(long id, byte[] payload) {
    Pending p = take(id);
    if (p instanceof External e) {
      e.future.complete(payload);
    } else if (p instanceof FromActor a) {
      actorReplies.deliver(a, ReplyStatus.OK, payload);
    }
  }

  /** Fails a request: the actor asked gets a REPLY with {@code status}, a future the exception. */
  void fail(long id, ReplyStatus status, MayflyException error) {
    Pending p = take(id);
    if (p instanceof External e) {
      e.future.completeExceptionally(error);
    } else if (p instanceof FromActor a) {
      byte[] reason =
          status == ReplyStatus.TIMEOUT
              ? new byte[0]
              : String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8);
      actorReplies.deliver(a, status, reason);
    }
  }

  void timeout(long id) {
    Waiting w = pending.get(id);
    if (w == null) {
      return;
    }
    Pending p = w.pending;
    String waited = p instanceof External e ? " within " + e.timeout : "";
    fail(id, ReplyStatus.TIMEOUT, new AskTimeoutException("no reply from " + p.target() + waited));
  }

  void failTurn(long id, String reason, String message) {
    fail(id, ReplyStatus.FAILED, new TurnFailedException(reason, message));
  }

  void failAll(Consumer<Long> failer) {
    for (Long id : pending.keySet()) {
      failer.accept(id);
    }
  }

  byte[] handle(long id) {
    return (handlePrefix + id).getBytes(StandardCharsets.US_ASCII);
  }

  /** The request id of a handle, -1 if this node did not issue it. */
  long parseHandle(byte[] handle) {
    String s = new String(handle, StandardCharsets.US_ASCII);
    if (!s.startsWith(handlePrefix)) {
      return -1;
    }
    try {
      return Long.parseLong(s.substring(handlePrefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  int size() {
    return pending.size();
  }
}
