package io.mayfly.runtime.spi;

import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TtlPolicy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything an actor owns, as committed by its last turn: its state entries, its TTL override and
 * deadline, its pending timers (with their due times and payloads), its topic subscriptions, and
 * the ids of the messages it handled recently ({@link HandledMessage}), and the messages it sent
 * that their receivers have not confirmed yet ({@link OutboxMessage}, only with a replicated
 * store). Immutable; a turn builds a new one. This is what a {@link StateStore} keeps, and all a
 * node needs to resume the actor: deadlines are on the node clock, in nanoseconds since the epoch,
 * so they keep their meaning on another node.
 */
public final class ActorState {
  /** Overhead counted per entry and per actor, beyond keys and values, for the byte budget. */
  static final int ENTRY_OVERHEAD = 96;

  static final int ACTOR_OVERHEAD = 240;

  static final int TIMER_OVERHEAD = 64;

  private final Map<String, StateEntry> entries;
  private final Ttl ttlOverride;
  private final long expiresAtNanos;
  private final Map<Long, PendingTimer> timers;
  private final Set<String> subscriptions;

  /**
   * What the runtime keeps for the actor beside its own state; one shared instance while it keeps
   * nothing, so that the many states without either cost no more than one field.
   */
  private record Kept(Map<String, HandledMessage> handled, Map<String, OutboxMessage> outbox) {
    static final Kept NONE = new Kept(Map.of(), Map.of());

    static Kept of(Map<String, HandledMessage> handled, Map<String, OutboxMessage> outbox) {
      return handled.isEmpty() && outbox.isEmpty() ? NONE : new Kept(handled, outbox);
    }
  }

  private final Kept kept;
  private final int weight;
  private final int dataBytes;
  private final long dropAtNanos;
  private final long earliestKeyDeadline;

  private ActorState(
      Map<String, StateEntry> entries,
      Ttl ttlOverride,
      long expiresAtNanos,
      Map<Long, PendingTimer> timers,
      Set<String> subscriptions,
      Map<String, HandledMessage> handled,
      Map<String, OutboxMessage> outbox) {
    this.entries = entries;
    this.ttlOverride = ttlOverride;
    this.expiresAtNanos = expiresAtNanos;
    this.timers = timers;
    this.subscriptions = subscriptions;
    this.kept = Kept.of(handled, outbox);
    // One pass over the entries for every figure derived from them: iterating a small immutable
    // map allocates its views and iterators, and this runs on every committing turn.
    int data = 0;
    long latestKey = Long.MIN_VALUE;
    long earliestKey = Long.MAX_VALUE;
    for (var e : entries.entrySet()) {
      StateEntry entry = e.getValue();
      data += utf8Length(e.getKey()) + entry.value().length;
      latestKey =
          Math.max(
              latestKey,
              entry.policy() == TtlPolicy.DEFAULT ? expiresAtNanos : entry.expiresAtNanos());
      earliestKey = Math.min(earliestKey, entry.expiresAtNanos());
    }
    int w = ACTOR_OVERHEAD + data + entries.size() * ENTRY_OVERHEAD;
    if (!timers.isEmpty()) {
      for (PendingTimer t : timers.values()) {
        w += TIMER_OVERHEAD + t.payload().length;
      }
    }
    if (!subscriptions.isEmpty()) {
      for (String s : subscriptions) {
        w += s.length() + 48;
      }
    }
    long handledUntil = Long.MIN_VALUE;
    if (!handled.isEmpty()) {
      for (var h : handled.entrySet()) {
        w += h.getValue().bytes(h.getKey().length());
        handledUntil = Math.max(handledUntil, h.getValue().expiresAtNanos());
      }
    }
    if (!outbox.isEmpty()) {
      for (OutboxMessage o : outbox.values()) {
        w += o.bytes();
        handledUntil = Math.max(handledUntil, o.expiresAtNanos());
      }
    }
    this.dataBytes = data;
    this.weight = w;
    this.earliestKeyDeadline = earliestKey;
    // The store drops the state at the actor's deadline, or earlier when every key has its own,
    // earlier deadline (and no timer or subscription keeps the actor). A state that holds only
    // handled ids or unconfirmed messages (the actor's own part is gone) lasts until the last of
    // them is forgotten.
    if (entries.isEmpty()
        && timers.isEmpty()
        && subscriptions.isEmpty()
        && (!handled.isEmpty() || !outbox.isEmpty())) {
      this.dropAtNanos = handledUntil;
    } else {
      this.dropAtNanos =
          entries.isEmpty() || !timers.isEmpty() || !subscriptions.isEmpty()
              ? expiresAtNanos
              : Math.min(expiresAtNanos, latestKey);
    }
  }

  /**
   * A state from its parts (for turns, and for state stores that serialize it).
   *
   * @param ttlOverride the actor's own TTL, or {@code null} for the type's default
   * @param expiresAtNanos the actor's deadline on the node clock, {@link Long#MAX_VALUE} for never
   * @param timers its pending timers by id
   */
  public static ActorState of(
      Map<String, StateEntry> entries,
      Ttl ttlOverride,
      long expiresAtNanos,
      Map<Long, PendingTimer> timers,
      Set<String> subscriptions) {
    return of(entries, ttlOverride, expiresAtNanos, timers, subscriptions, Map.of());
  }

  /**
   * A state from its parts, with the ids of the messages the actor handled recently.
   *
   * @param handled by message id, what the actor remembers of each message it handled
   */
  public static ActorState of(
      Map<String, StateEntry> entries,
      Ttl ttlOverride,
      long expiresAtNanos,
      Map<Long, PendingTimer> timers,
      Set<String> subscriptions,
      Map<String, HandledMessage> handled) {
    return of(entries, ttlOverride, expiresAtNanos, timers, subscriptions, handled, Map.of());
  }

  /**
   * A state from its parts, with the ids of the messages the actor handled recently and the
   * messages it sent that are not confirmed yet.
   *
   * @param handled by message id, what the actor remembers of each message it handled
   * @param outbox by message id, the messages it sent that their receivers have not confirmed
   */
  public static ActorState of(
      Map<String, StateEntry> entries,
      Ttl ttlOverride,
      long expiresAtNanos,
      Map<Long, PendingTimer> timers,
      Set<String> subscriptions,
      Map<String, HandledMessage> handled,
      Map<String, OutboxMessage> outbox) {
    // Compact immutable copies: an idle actor costs a few hundred bytes, and empty timer and
    // subscription collections share one instance.
    return new ActorState(
        Map.copyOf(entries),
        ttlOverride,
        expiresAtNanos,
        Map.copyOf(timers),
        Set.copyOf(subscriptions),
        Map.copyOf(handled),
        Map.copyOf(outbox));
  }

  /**
   * A state that holds only the ids of messages an actor handled: what is left of an actor whose
   * own state was dropped at its TTL while those ids are still remembered.
   */
  public static ActorState ofHandled(Map<String, HandledMessage> handled) {
    return of(Map.of(), null, Long.MAX_VALUE, Map.of(), Set.of(), handled);
  }

  /** The number of bytes {@code s} takes in UTF-8: what keys are charged against the limits. */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes++;
        } else if (Character.isHighSurrogate(c) && i + 1 < n) {
          bytes += 2; // four bytes for the pair's two chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /** The entries, in no particular order. */
  public Map<String, StateEntry> entries() {
    return entries;
  }

  /** The actor's own TTL, or {@code null} when it follows its type's default. */
  public Ttl ttlOverride() {
    return ttlOverride;
  }

  /** The actor's deadline on the node clock; {@link Long#MAX_VALUE} for never. */
  public long expiresAtNanos() {
    return expiresAtNanos;
  }

  /** Its pending timers, by id. */
  public Map<Long, PendingTimer> timers() {
    return timers;
  }

  /** Topic filters it subscribed to. */
  public Set<String> subscriptions() {
    return subscriptions;
  }

  /**
   * The ids of messages the actor handled recently, with what it remembers of each; some may have
   * expired ({@link HandledMessage#liveAt}).
   */
  public Map<String, HandledMessage> handled() {
    return kept.handled();
  }

  /**
   * The messages the actor sent that their receivers have not confirmed yet, by message id; some
   * may have expired ({@link OutboxMessage#liveAt}). Empty unless the store replicates.
   */
  public Map<String, OutboxMessage> outbox() {
    return kept.outbox();
  }

  /** This state with {@code handled} in place of the ids it remembers. */
  public ActorState withHandled(Map<String, HandledMessage> handled) {
    return new ActorState(
        entries, ttlOverride, expiresAtNanos, timers, subscriptions, Map.copyOf(handled), outbox());
  }

  /** This state with {@code outbox} in place of its unconfirmed messages. */
  public ActorState withOutbox(Map<String, OutboxMessage> outbox) {
    return new ActorState(
        entries, ttlOverride, expiresAtNanos, timers, subscriptions, handled(), Map.copyOf(outbox));
  }

  /**
   * Whether the actor has state of its own (entries, timers or subscriptions), beyond the ids of
   * messages it handled.
   */
  public boolean hasOwnState() {
    return !entries.isEmpty() || !timers.isEmpty() || !subscriptions.isEmpty();
  }

  /**
   * Whether this state only holds what the runtime keeps for the actor (handled message ids,
   * unconfirmed messages it sent) and nothing of its own: what is left of an actor whose own state
   * expired ({@link #ofHandled}), or of one that keeps no state. The guest, inspection and expiry
   * turns ignore it.
   */
  public boolean onlyHandled() {
    return !hasOwnState() && kept != Kept.NONE;
  }

  /** Bytes charged against the node's state budget. */
  public int weight() {
    return weight;
  }

  /**
   * Bytes of keys (in UTF-8) and values, checked against the type's maxStateBytes. Handled message
   * ids are not counted here (they have their own bounds) but are in {@link #weight()}.
   */
  public int dataBytes() {
    return dataBytes;
  }

  /** Whether nothing is left to keep. */
  public boolean isEmpty() {
    return !hasOwnState() && kept == Kept.NONE;
  }

  /**
   * When the store should drop this state: the actor's deadline, or earlier when every key has its
   * own, earlier deadline.
   */
  public long dropAtNanos() {
    return dropAtNanos;
  }

  /** Whether the state is gone at {@code nowNanos}: its drop time has passed. */
  public boolean droppedAt(long nowNanos) {
    return dropAtNanos != Long.MAX_VALUE && dropAtNanos - nowNanos <= 0;
  }

  /**
   * The earliest deadline of a key of its own ({@link StateEntry#expiresAtNanos()}); {@link
   * Long#MAX_VALUE} when no key has one. A turn that starts before it finds no expired key.
   */
  public long earliestKeyDeadline() {
    return earliestKeyDeadline;
  }

  /** This state without one pending timer. */
  public ActorState withoutTimer(long timerId) {
    if (!timers.containsKey(timerId)) {
      return this;
    }
    var rest = new HashMap<>(timers);
    rest.remove(timerId);
    return new ActorState(
        entries,
        ttlOverride,
        expiresAtNanos,
        Map.copyOf(rest),
        subscriptions,
        kept.handled(),
        kept.outbox());
  }

  /** The values of the entries that have not expired at {@code now}. */
  public Map<String, byte[]> values(long now) {
    var out = new LinkedHashMap<String, byte[]>();
    for (var e : entries.entrySet()) {
      if (!e.getValue().expiredAt(now)) {
        out.put(e.getKey(), e.getValue().value());
      }
    }
    return out;
  }
}
