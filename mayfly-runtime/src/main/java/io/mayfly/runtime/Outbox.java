package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.Placement;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.wasm.MayflyException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Messages a committed turn sent to other actors, kept until their receivers confirm them: only on
 * a node whose store {@linkplain StateStore#replicated() replicates} (the embedded node has none of
 * this). Each message gets an id and is committed in the sender's state ({@link
 * ActorState#outbox()}) with the turn; the receiver handles an id once ({@link Idempotency}) and,
 * once its turn has committed, confirms the id to the sender's owner, which drops it from the
 * sender's state at the sender's next commit. When this node gains actors (a member left or died)
 * it sends again the messages of the actors it adopted, and those of its own actors still
 * unconfirmed (their receiver may have died with them queued). A message is sent again within the
 * idempotency window only, the time its receiver remembers its id.
 */
final class Outbox {
  private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

  /** How the ids of messages between actors start: they have their own bound at the receiver. */
  static final String ID_PREFIX = "~o.";

  private final MayflyClock clock;
  private final StateStore store;
  private final Requests requests;
  private final Router router;
  private final Placement placement;

  /** Messages sent again after a change of owners, and given up unconfirmed after the window. */
  private final LongAdder resent = new LongAdder();

  private final LongAdder expired = new LongAdder();

  /** Per sender, the messages it sent from this node and no receiver has confirmed yet. */
  private final ConcurrentHashMap<Address, Map<String, OutboxMessage>> awaiting =
      new ConcurrentHashMap<>();

  /** Per sender, the ids confirmed since its last commit: its next commit drops them. */
  private final ConcurrentHashMap<Address, Set<String>> confirmed = new ConcurrentHashMap<>();

  Outbox(NodeConfig config, StateStore store, Requests requests, Router router) {
    this.clock = config.clock();
    this.store = store;
    this.requests = requests;
    this.router = router;
    this.placement = config.placement();
    MeterRegistry registry = config.meterRegistry();
    if (registry != null) {
      FunctionCounter.builder("mayfly.outbox.resent", resent, LongAdder::sum)
          .description(
              "messages between actors sent again after a change of owners, until confirmed")
          .register(registry);
      FunctionCounter.builder("mayfly.outbox.expired", expired, LongAdder::sum)
          .description(
              "messages between actors their sender stopped sending again unconfirmed, after the"
                  + " idempotency window")
          .register(registry);
    }
  }

  /** A fresh message id: 128 random bits, so no two senders on any members share one. */
  static String newId() {
    var random = ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    return ID_PREFIX + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
  }

  /** Whether {@code id} is the id of a message between actors (rather than a client's key). */
  static boolean isOutboxId(String id) {
    return id.startsWith(ID_PREFIX);
  }

  /**
   * The messages (tells and asks) a committing turn sends, each with a fresh id, in effect order;
   * {@code null} when it sends none.
   */
  static List<OutboxMessage> sent(Turn turn, long windowNanos) {
    List<Effect> effects = turn.effects();
    List<OutboxMessage> sent = null;
    for (int i = 0; i < effects.size(); i++) {
      OutboxMessage o =
          switch (effects.get(i)) {
            case Effect.Send s ->
                new OutboxMessage(
                    newId(),
                    s.to(),
                    false,
                    s.payload(),
                    0,
                    0,
                    turn.trace(),
                    turn.now() + windowNanos);
            case Effect.Ask a ->
                new OutboxMessage(
                    newId(),
                    a.to(),
                    true,
                    a.payload(),
                    a.correlationId(),
                    a.timeout().toNanos(),
                    turn.trace(),
                    turn.now() + windowNanos);
            default -> null;
          };
      if (o != null) {
        if (sent == null) {
          sent = new ArrayList<>(2);
        }
        sent.add(o);
      }
    }
    return sent;
  }

  /**
   * The state a committing turn leaves with its outbox: the messages it sends added, those
   * confirmed since the actor's last commit and those past the window dropped. Returns {@code
   * after} itself when its outbox stays as it is.
   */
  ActorState commit(Address self, Turn turn, ActorState after, List<OutboxMessage> sent) {
    ActorState base = after != null ? after : turn.before();
    Map<String, OutboxMessage> old = base == null ? Map.of() : base.outbox();
    Set<String> done = old.isEmpty() ? null : confirmed.remove(self);
    boolean stale = false;
    for (OutboxMessage o : old.values()) {
      stale |= !o.liveAt(turn.now());
    }
    if (sent == null && done == null && !stale) {
      return after;
    }
    var kept = new HashMap<String, OutboxMessage>();
    for (var e : old.entrySet()) {
      if (done != null && done.contains(e.getKey())) {
        continue;
      }
      if (!e.getValue().liveAt(turn.now())) {
        expired(self, e.getValue());
        continue;
      }
      kept.put(e.getKey(), e.getValue());
    }
    if (sent != null) {
      for (OutboxMessage o : sent) {
        kept.put(o.id(), o);
      }
    }
    if (base == null) {
      return kept.isEmpty() ? null : ActorState.ofHandled(Map.of()).withOutbox(kept);
    }
    return base.withOutbox(kept);
  }

  /** A message whose sender gives up on its confirmation: counted and logged. */
  private void expired(Address sender, OutboxMessage o) {
    expired.increment();
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "message "
                + o.id()
                + " from "
                + sender
                + " to "
                + o.to()
                + " was not confirmed within the idempotency window; it is not sent again");
    Map<String, OutboxMessage> mine = awaiting.get(sender);
    if (mine != null) {
      mine.remove(o.id());
    }
  }

  /**
   * Sends a committed turn's message, now that its state is safe, and waits for its confirmation.
   */
  void send(Address self, OutboxMessage o) {
    awaiting.computeIfAbsent(self, a -> new ConcurrentHashMap<>()).put(o.id(), o);
    if (!o.ask()) {
      router.send(new Message.Tell(o.to(), o.payload(), self, o.id(), o.trace()));
      return;
    }
    RequestRef ref =
        requests.register(
            new Requests.FromActor(o.to(), self, o.correlationId(), o.trace()),
            Router.deadline(clock.nanoTime(), Duration.ofNanos(o.timeoutNanos())));
    router.send(new Message.Ask(o.to(), o.payload(), self, ref, o.id(), o.trace()));
  }

  /** An ask of the outbox that was refused at once, never sent: its sender drops it. */
  void unsent(Address sender, String id) {
    confirmed.computeIfAbsent(sender, a -> ConcurrentHashMap.newKeySet()).add(id);
  }

  /**
   * An actor of this node handled {@code m} (its turn committed, or failed for good), or dropped it
   * as a duplicate: when {@code m} came from another actor's outbox, its sender's owner hears that
   * it need not send it again.
   */
  void handled(Message m) {
    Address sender = m.sender();
    String id = m.id();
    if (sender == null || id == null || !isOutboxId(id)) {
      return;
    }
    if (placement.isLocal(sender)) {
      confirm(sender, id);
      return;
    }
    try {
      placement.confirm(sender, id);
    } catch (MayflyException e) {
      // The sender sends it again after the next change of owners; this one drops it then.
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "confirmation of " + id + " to " + sender + " not sent: " + e.getMessage());
    }
  }

  /**
   * The receiver of {@code id} from {@code sender}, an actor of this node, has handled it: the
   * sender's next commit drops it from its state.
   */
  void confirm(Address sender, String id) {
    Map<String, OutboxMessage> mine = awaiting.get(sender);
    if (mine == null || mine.remove(id) == null) {
      return; // confirmed already, or the sender moved on
    }
    if (mine.isEmpty()) {
      awaiting.remove(sender, mine);
    }
    confirmed.computeIfAbsent(sender, a -> ConcurrentHashMap.newKeySet()).add(id);
  }

  /**
   * This node gained the actors {@code adopted} accepts: sends again the messages they committed
   * and no receiver confirmed, and those of the actors it owned already that are still unconfirmed
   * (their receivers may have been on the member that left). Receivers drop what they handled.
   */
  void gained(Predicate<Address> adopted) {
    long now = clock.nanoTime();
    var again = new ArrayList<Map.Entry<Address, OutboxMessage>>();
    for (var e : awaiting.entrySet()) {
      for (OutboxMessage o : e.getValue().values()) {
        again.add(Map.entry(e.getKey(), o));
      }
    }
    store.forEach(
        adopted,
        (address, state) -> {
          for (OutboxMessage o : state.outbox().values()) {
            again.add(Map.entry(address, o));
          }
        });
    for (var e : again) {
      OutboxMessage o = e.getValue();
      if (!o.liveAt(now)) {
        expired(e.getKey(), o);
        continue;
      }
      resent.increment();
      send(e.getKey(), o);
    }
  }

  /** This node no longer owns the actors {@code actors} accepts: their new owner sends for them. */
  void lost(Predicate<Address> actors) {
    awaiting.keySet().removeIf(actors);
    confirmed.keySet().removeIf(actors);
  }
}
