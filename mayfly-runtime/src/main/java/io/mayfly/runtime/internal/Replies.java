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
 * failure, or by its timeout, whichever comes first. Reply handles are the request id with the node
 * id, so a handle from another node is recognised as such.
 */
final class Replies {
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
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

  private final ActorReplies actorReplies;

  Replies(String nodeId, ActorReplies actorReplies) {
    this.handlePrefix = "mayfly:" + nodeId + ":";
    this.actorReplies = actorReplies;
  }

  long register(Pending p) {
    long id = ids.incrementAndGet();
    pending.put(id, p);
    return id;
  }

  boolean isPending(long id) {
    return pending.containsKey(id);
  }

  void complete(long id, byte[] payload) {
    Pending p = pending.remove(id);
    if (p instanceof External e) {
      e.future.complete(payload);
    } else if (p instanceof FromActor a) {
      actorReplies.deliver(a, ReplyStatus.OK, payload);
    }
  }

  /** Fails a request: the actor asked gets a REPLY with {@code status}, a future the exception. */
  void fail(long id, ReplyStatus status, MayflyException error) {
    Pending p = pending.remove(id);
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
    Pending p = pending.get(id);
    if (p == null) {
      return;
    }
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
