package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.HandledMessage;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.wasm.MayflyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Messages with an id (an idempotency key) are handled once per actor within the window. What an
 * actor handled is remembered in its state ({@link HandledMessage}, committed with the turn), so it
 * holds wherever the actor's state goes; what is queued or running is known here, on the node that
 * owns the actor:
 *
 * <ul>
 *   <li>a message whose id is queued or running is not queued again: a tell is dropped, an ask or a
 *       confirmed tell follows the first and gets its answer;
 *   <li>a message whose id the actor's state remembers is not delivered: a tell is dropped, an ask
 *       is answered with the remembered reply, a confirmed tell is confirmed;
 *   <li>the same id on a different message (payload or kind) is refused as a reused key.
 * </ul>
 *
 * Only messages with an id reach this class; the rest of the node pays one null check per message.
 */
final class Idempotency {
  private static final System.Logger LOG = System.getLogger(Idempotency.class.getName());

  private record Key(Address target, String id) {}

  /** A message with an id that is queued or running, and the asks that wait for its answer. */
  private static final class InFlight {
    final Message leader;
    final long fingerprint;
    private List<RequestRef> followers;
    private boolean done;

    InFlight(Message leader, long fingerprint) {
      this.leader = leader;
      this.fingerprint = fingerprint;
    }

    /** Adds an ask that waits for the leader's answer; false once the leader has finished. */
    synchronized boolean follow(RequestRef request) {
      if (done) {
        return false;
      }
      if (followers == null) {
        followers = new ArrayList<>(2);
      }
      followers.add(request);
      return true;
    }

    synchronized boolean done() {
      return done;
    }

    synchronized List<RequestRef> finish() {
      done = true;
      return followers == null ? List.of() : followers;
    }
  }

  private final MayflyClock clock;
  private final StateStore store;
  private final NodeMetrics metrics;
  private final long windowNanos;
  private final int maxKeys;
  private final long maxBytes;
  private final ConcurrentHashMap<Key, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Consumer<Answer> answers;

  /** Hears about messages dropped because the actor handled them already (the outbox). */
  private volatile Consumer<Message> handledBefore = m -> {};

  /**
   * @param answers where answers to duplicate asks go (the router)
   */
  Idempotency(NodeConfig config, StateStore store, NodeMetrics metrics, Consumer<Answer> answers) {
    this.clock = config.clock();
    this.store = store;
    this.metrics = metrics;
    this.windowNanos = config.idempotencyWindow().toNanos();
    this.maxKeys = config.idempotencyKeysPerActor();
    this.maxBytes = config.idempotencyBytesPerActor();
    this.answers = answers;
  }

  /**
   * Ids of messages from other actors ({@link Outbox}) an actor remembers beside its clients' keys,
   * as a multiple of the keys per actor: an actor that hears from many others within the window
   * would otherwise forget its clients' keys, or the ids its senders may still send again.
   */
  static final int OUTBOX_IDS_FACTOR = 16;

  /** Sets who hears about messages dropped because their actor handled them already. */
  void onDuplicate(Consumer<Message> listener) {
    this.handledBefore = listener;
  }

  /** Messages with an id queued or running on this node. */
  int inFlight() {
    return inFlight.size();
  }

  /** The fingerprint of a message: its kind and the first 8 bytes of its payload's SHA-256. */
  static long fingerprint(Message m) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((byte) m.kind().code());
      byte[] digest = sha.digest(m.payload());
      long fp = 0;
      for (int i = 0; i < 8; i++) {
        fp = (fp << 8) | (digest[i] & 0xff);
      }
      return fp;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Admits a message with an id for an actor of this node: returns whether to queue it (it is then
   * in flight until its turn ends). Otherwise it was a duplicate: dropped, or an ask answered or
   * made to wait for the first one's answer.
   *
   * @throws IdempotencyKeyReusedException if the id came with a different message
   */
  boolean admit(Message m, TypeCounters counters) {
    var key = new Key(m.target(), m.id());
    long fp = fingerprint(m);
    for (; ; ) {
      InFlight first = inFlight.get(key);
      if (first != null && !first.done()) {
        checkSame(m, fp, first.fingerprint);
        RequestRef waiting = Requests.waitingFor(m);
        if (waiting == null || first.follow(waiting)) {
          duplicate(counters);
          return false;
        }
      }
      ActorState state = store.peek(m.target());
      HandledMessage handled = state == null ? null : state.handled().get(m.id());
      if (handled != null && handled.liveAt(clock.nanoTime())) {
        checkSame(m, fp, handled.fingerprint());
        answerDuplicate(m, handled, counters);
        return false;
      }
      if (first == null && inFlight.putIfAbsent(key, new InFlight(m, fp)) == null) {
        return true;
      }
      Thread.onSpinWait(); // the first one is finishing: its record is about to be in the state
    }
  }

  /**
   * A message with an id reached its turn and the actor's state remembers the id: it is not handled
   * again. Returns whether it was such a duplicate (the caller then runs no turn).
   */
  boolean duplicateAtTurn(Message m, ActorState before, TypeCounters counters, Router router) {
    HandledMessage handled = before == null ? null : before.handled().get(m.id());
    if (handled == null || !handled.liveAt(clock.nanoTime())) {
      return false;
    }
    InFlight entry = take(m);
    long fp = entry != null ? entry.fingerprint : fingerprint(m);
    List<RequestRef> followers = entry == null ? List.of() : entry.finish();
    try {
      checkSame(m, fp, handled.fingerprint());
    } catch (IdempotencyKeyReusedException e) {
      router.undeliverable(m, e);
      for (RequestRef r : followers) {
        router.fail(r, m.target(), e);
      }
      return true;
    }
    answerDuplicate(m, handled, counters);
    for (RequestRef r : followers) {
      answers.accept(answer(handled, r, m.target(), m.id()));
    }
    return true;
  }

  /**
   * The state a committed turn leaves, remembering the message it handled (when it has an id) with
   * its outcome; forgets expired ids, and the oldest beyond the per-actor bounds. Clients' keys and
   * the ids of messages from other actors ({@link Outbox#isOutboxId}) have bounds of their own: up
   * to the keys per actor and the bytes per actor for the first, {@value #OUTBOX_IDS_FACTOR} times
   * those keys and the same bytes for the second.
   */
  ActorState remember(Turn turn, ActorState after) {
    Message m = turn.message();
    long now = turn.now();
    InFlight entry = inFlight.get(new Key(m.target(), m.id()));
    long fp = entry != null && entry.leader == m ? entry.fingerprint : fingerprint(m);
    var record = new HandledMessage(fp, outcome(turn), reply(turn), now + windowNanos);
    ActorState base = after != null ? after : turn.before();
    var kept = new HashMap<String, HandledMessage>();
    // Per kind of id (0: clients' keys, 1: ids from other actors), how many and their bytes.
    int own = Outbox.isOutboxId(m.id()) ? 1 : 0;
    int[] count = new int[2];
    long[] bytes = new long[2];
    count[own] = 1;
    bytes[own] = record.bytes(m.id().length());
    if (base != null) {
      for (var e : base.handled().entrySet()) {
        if (e.getValue().liveAt(now) && !e.getKey().equals(m.id())) {
          kept.put(e.getKey(), e.getValue());
          int kind = Outbox.isOutboxId(e.getKey()) ? 1 : 0;
          count[kind]++;
          bytes[kind] += e.getValue().bytes(e.getKey().length());
        }
      }
    }
    // Beyond the bounds the ids closest to expiry go first; the new one always stays.
    for (int kind = 0; kind < 2; kind++) {
      int keys = kind == 0 ? maxKeys : maxKeys * OUTBOX_IDS_FACTOR;
      while (count[kind] > (kind == own ? 1 : 0)
          && (count[kind] > keys || bytes[kind] > maxBytes)) {
        String oldest = null;
        for (var e : kept.entrySet()) {
          if ((Outbox.isOutboxId(e.getKey()) ? 1 : 0) == kind
              && (oldest == null
                  || e.getValue().expiresAtNanos() < kept.get(oldest).expiresAtNanos())) {
            oldest = e.getKey();
          }
        }
        bytes[kind] -= kept.remove(oldest).bytes(oldest.length());
        count[kind]--;
        metrics.idsForgotten.increment();
      }
    }
    kept.put(m.id(), record);
    return after == null ? ActorState.ofHandled(kept) : after.withHandled(kept);
  }

  private static HandledMessage.Outcome outcome(Turn turn) {
    if (!(turn.message() instanceof Message.Ask)) {
      return HandledMessage.Outcome.TOLD;
    }
    if (reply(turn) != null) {
      return HandledMessage.Outcome.REPLIED;
    }
    return turn.answered() ? HandledMessage.Outcome.DEFERRED : HandledMessage.Outcome.NO_REPLY;
  }

  /** The reply the turn gave to the ask it handled, or {@code null}. */
  private static byte[] reply(Turn turn) {
    if (!(turn.message() instanceof Message.Ask ask)) {
      return null;
    }
    for (Effect e : turn.effects()) {
      if (e instanceof Effect.Reply r && r.request().equals(ask.request())) {
        return r.payload();
      }
    }
    return null;
  }

  /** The turn of {@code m} committed and its outputs left: asks that followed it get its answer. */
  void released(Message m, ActorState after) {
    InFlight entry = take(m);
    if (entry == null) {
      return;
    }
    HandledMessage handled = after == null ? null : after.handled().get(m.id());
    for (RequestRef r : entry.finish()) {
      answers.accept(
          handled == null
              ? Answer.failed(
                  r, m.target(), FailureReason.NO_REPLY, "the first message was not remembered")
              : answer(handled, r, m.target(), m.id()));
    }
  }

  /**
   * The turn of {@code m} failed: nothing is remembered, so a later retry runs again; the asks that
   * followed it get the same failure.
   */
  void failed(Message m, TurnRecord.Failure failure) {
    InFlight entry = take(m);
    if (entry == null) {
      return;
    }
    for (RequestRef r : entry.finish()) {
      answers.accept(Answer.failed(r, m.target(), failure.reason(), failure.message()));
    }
  }

  /**
   * {@code m} was not handled here (its actor moved, or its type is gone): the asks that followed
   * it fail with {@code reason} and may retry.
   */
  void abandoned(Message m, MayflyException reason, Router router) {
    InFlight entry = take(m);
    if (entry == null) {
      return;
    }
    for (RequestRef r : entry.finish()) {
      router.fail(r, m.target(), reason);
    }
  }

  /** Removes {@code m}'s in-flight entry if {@code m} leads it. */
  private InFlight take(Message m) {
    if (m.id() == null || inFlight.isEmpty()) {
      return null;
    }
    var key = new Key(m.target(), m.id());
    InFlight entry = inFlight.get(key);
    if (entry == null || entry.leader != m) {
      return null;
    }
    inFlight.remove(key, entry);
    return entry;
  }

  /**
   * What the actor's state keeps of its handled ids when the state is dropped at its TTL: the ids
   * still within the window stay (merged into a fresh state the actor may have since), so a retry
   * after the actor's own state expired is still recognised.
   */
  void carryOver(Address address, ActorState dropped, long now) {
    if (dropped == null || (dropped.handled().isEmpty() && dropped.outbox().isEmpty())) {
      return;
    }
    var live = new HashMap<String, HandledMessage>();
    for (var e : dropped.handled().entrySet()) {
      if (e.getValue().liveAt(now)) {
        live.put(e.getKey(), e.getValue());
      }
    }
    // Messages the actor sent that are not confirmed yet stay too, to be sent again after a
    // failure.
    var sent = new HashMap<String, OutboxMessage>();
    for (var e : dropped.outbox().entrySet()) {
      if (e.getValue().liveAt(now)) {
        sent.put(e.getKey(), e.getValue());
      }
    }
    if (live.isEmpty() && sent.isEmpty()) {
      return;
    }
    ActorState current = store.get(address, now);
    if (current == null) {
      store.put(address, ActorState.ofHandled(live).withOutbox(sent), now);
    } else {
      live.putAll(current.handled());
      sent.putAll(current.outbox());
      store.put(address, current.withHandled(live).withOutbox(sent), now);
    }
  }

  /** Whether a dropped state has ids still to remember at {@code now}. */
  static boolean remembersAt(ActorState state, long now) {
    for (HandledMessage h : state.handled().values()) {
      if (h.liveAt(now)) {
        return true;
      }
    }
    for (OutboxMessage o : state.outbox().values()) {
      if (o.liveAt(now)) {
        return true;
      }
    }
    return false;
  }

  private void answerDuplicate(Message m, HandledMessage handled, TypeCounters counters) {
    handledBefore.accept(m);
    duplicate(counters);
    RequestRef waiting = Requests.waitingFor(m);
    if (waiting != null) {
      answers.accept(answer(handled, waiting, m.target(), m.id()));
    }
  }

  private static Answer answer(HandledMessage h, RequestRef request, Address from, String id) {
    return switch (h.outcome()) {
      case REPLIED -> Answer.ok(request, from, h.reply());
      case NO_REPLY ->
          Answer.failed(
              request,
              from,
              FailureReason.NO_REPLY,
              "actor " + from + " finished its turn without replying (idempotency key " + id + ")");
      // Only a tell matches a TOLD record (the fingerprint has the kind): a confirmed tell whose
      // first handling committed is confirmed at once.
      case TOLD -> Answer.ok(request, from, new byte[0]);
      case DEFERRED ->
          Answer.failed(
              request,
              from,
              FailureReason.NO_REPLY,
              "the ask with idempotency key "
                  + id
                  + " to "
                  + from
                  + " is answered by a deferred reply, which is not remembered; ask again with a"
                  + " new key");
    };
  }

  private void duplicate(TypeCounters counters) {
    metrics.duplicates.increment();
    if (counters != null) {
      counters.duplicates.increment();
    }
  }

  private static void checkSame(Message m, long fingerprint, long first) {
    if (fingerprint != first) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "idempotency key " + m.id() + " reused on " + m.target() + " for another message");
      throw new IdempotencyKeyReusedException(
          "idempotency key '"
              + m.id()
              + "' was already used for a different message to "
              + m.target()
              + " within the idempotency window; use a new key for a new message");
    }
  }
}
