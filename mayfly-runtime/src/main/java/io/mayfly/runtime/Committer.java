package io.mayfly.runtime;

import io.mayfly.runtime.TypeRegistry.TypeVersion;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.StateStore;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends a turn: commits its state to the store and, once the store has it safe (the output gate),
 * releases its effects (messages, asks, replies, publications, timers, subscriptions, logs) and
 * confirms a confirmed tell; or rolls it back, answering the ask or confirmed tell it handled with
 * the failure. With the embedded store the state is safe at once and the effects leave on the
 * worker without waiting.
 */
final class Committer {
  private static final System.Logger LOG = System.getLogger(Committer.class.getName());

  /** The payload of a confirmed tell's answer: there is no reply, only the news. */
  private static final byte[] CONFIRMED = new byte[0];

  private final NodeConfig config;
  private final StateStore store;
  private final Router router;
  private final Requests requests;
  private final ActorTimers timers;
  private final TopicBus bus;
  private final NodeMetrics metrics;
  private final FailureLog failures;
  private final Idempotency idempotency;
  private final GuestLogLimiter logLimiter;

  /**
   * With a store that replicates, the messages a turn sends to other actors are committed with its
   * state and sent through the outbox, which sends them again after a failure until their receivers
   * confirm them. {@code null} on the embedded node, which pays one null check per turn.
   */
  private final Outbox outbox;

  private final long windowNanos;

  /** Per actor, the release of its last turn whose outputs wait for the store. */
  private final ConcurrentHashMap<Address, CompletionStage<Void>> held = new ConcurrentHashMap<>();

  Committer(
      NodeConfig config,
      StateStore store,
      Router router,
      Requests requests,
      ActorTimers timers,
      TopicBus bus,
      NodeMetrics metrics,
      FailureLog failures,
      Idempotency idempotency,
      GuestLogLimiter logLimiter,
      Outbox outbox) {
    this.logLimiter = logLimiter;
    this.outbox = outbox;
    this.windowNanos = config.idempotencyWindow().toNanos();
    this.config = config;
    this.store = store;
    this.router = router;
    this.requests = requests;
    this.timers = timers;
    this.bus = bus;
    this.metrics = metrics;
    this.failures = failures;
    this.idempotency = idempotency;
  }

  /** Commits a turn that returned 0; returns the actor's state after it. */
  ActorState commit(TypeVersion tv, Turn turn) {
    Address self = turn.message().target();
    boolean expiry = turn.message() instanceof Message.Expire;
    ActorState after = turn.before();
    CompletionStage<Void> saved = null;
    List<OutboxMessage> sent = null;
    if (!expiry) {
      after = turn.newState(tv.config().ttl());
      if (outbox != null) {
        sent = Outbox.sent(turn, windowNanos);
        after = outbox.commit(self, turn, after, sent); // in the same write as the state
      }
      if (turn.message().id() != null) {
        after = idempotency.remember(turn, after); // committed with the turn
      }
      if (after != turn.before()) {
        saved = after.isEmpty() ? store.remove(self) : store.put(self, after, turn.now());
      }
    }
    // An earlier turn's outputs still held (never with a store that saves at once).
    CompletionStage<Void> earlier = held.isEmpty() ? null : held.get(self);
    if ((earlier == null || StateStore.isSaved(earlier))
        && (saved == null || StateStore.isSaved(saved))) {
      release(tv, turn, self, expiry, after, sent);
    } else {
      // Held until this turn's state and every earlier turn's outputs are out, in turn order.
      CompletionStage<Void> gate =
          earlier == null
              ? saved
              : saved == null ? earlier : earlier.thenCombine(saved, (a, b) -> a);
      ActorState committed = after;
      List<OutboxMessage> outgoing = sent;
      CompletionStage<Void> released =
          gate.handle(
              (ok, error) -> {
                if (error == null) {
                  release(tv, turn, self, expiry, committed, outgoing);
                } else {
                  notSaved(tv, turn, error);
                }
                return null;
              });
      held.put(self, released);
      released.thenRun(() -> held.remove(self, released));
    }
    return after;
  }

  /** The outputs of a committed turn, now that its state is safe. */
  private void release(
      TypeVersion tv,
      Turn turn,
      Address self,
      boolean expiry,
      ActorState after,
      List<OutboxMessage> sent) {
    List<Effect> effects = turn.effects();
    int next = 0;
    for (int i = 0; i < effects.size(); i++) { // no iterator for the many turns with no effect
      Effect effect = effects.get(i);
      if (sent != null && (effect instanceof Effect.Send || effect instanceof Effect.Ask)) {
        send(tv, turn, self, effect, sent.get(next++));
      } else {
        apply(tv, turn, self, effect, expiry);
      }
    }
    if (outbox != null) {
      outbox.handled(turn.message());
    }
    if (turn.message() instanceof Message.Ask ask && !turn.answered()) {
      metrics.failed(
          tv.counters(), FailureReason.NO_REPLY); // the turn committed: not a failed turn
      router.answer(
          Answer.failed(
              ask.request(),
              self,
              FailureReason.NO_REPLY,
              "actor " + self + " finished its turn without replying",
              turn.trace()));
    }
    if (turn.message() instanceof Message.ConfirmedTell tell) {
      router.answer(Answer.ok(tell.request(), self, CONFIRMED, turn.trace()));
    }
    if (turn.message().id() != null) {
      idempotency.released(turn.message(), after);
    }
    if (turn.droppedLogs() > 0) {
      LogContext.log(
          LOG,
          System.Logger.Level.WARNING,
          self,
          turn.trace(),
          "logged " + turn.droppedLogs() + " lines beyond its effects limit; dropped");
    }
  }

  /** The store could not save a committed turn's state: its outputs never leave. */
  private void notSaved(TypeVersion tv, Turn turn, Throwable error) {
    var failure =
        new TurnRecord.Failure(
            FailureReason.STATE_NOT_SAVED,
            "state of " + turn.message().target() + " not saved: " + error.getMessage());
    metrics.failed(tv.counters(), failure.reason());
    failures.failed(tv.type(), turn.message().target(), failure, turn.now(), turn.trace());
    RequestRef request = Requests.waitingFor(turn.message());
    if (request != null) {
      router.answer(
          Answer.failed(
              request, turn.message().target(), failure.reason(), failure.message(), turn.trace()));
    }
    if (turn.message().id() != null) {
      idempotency.failed(turn.message(), failure);
    }
  }

  /** Rolls back a failed turn; returns the actor's state after it. */
  ActorState rollback(TypeVersion tv, Turn turn, TurnRecord.Failure failure) {
    metrics.failed(tv.counters(), failure.reason());
    Message m = turn.message();
    failures.failed(tv.type(), m.target(), failure, turn.now(), turn.trace());
    RequestRef request = Requests.waitingFor(m);
    if (request != null) {
      router.answer(
          Answer.failed(request, m.target(), failure.reason(), failure.message(), turn.trace()));
    }
    if (m.id() != null) {
      idempotency.failed(m, failure); // nothing remembered: a retry runs again
    }
    if (outbox != null) {
      outbox.handled(m); // a failed turn consumed its message: its sender need not send it again
    }
    ActorState before = turn.before();
    if (m instanceof Message.Timer t && before != null) {
      // The timer has fired even though its turn failed: it is no longer pending.
      ActorState without = before.withoutTimer(t.timerId());
      if (without.isEmpty()) {
        store.remove(m.target());
      } else {
        store.put(m.target(), without, turn.now());
      }
      return without;
    }
    return before;
  }

  /** Sends a message of the turn's outbox; an ask refused at once is never sent, nor kept. */
  private void send(TypeVersion tv, Turn turn, Address self, Effect effect, OutboxMessage o) {
    if (effect instanceof Effect.Ask && requests.pendingOf(self) >= tv.config().mailboxCapacity()) {
      apply(tv, turn, self, effect, false);
      outbox.unsent(self, o.id());
    } else {
      outbox.send(self, o);
    }
  }

  private void apply(TypeVersion tv, Turn turn, Address self, Effect effect, boolean expiry) {
    TraceContext trace = turn.trace();
    switch (effect) {
      case Effect.Send s -> router.send(new Message.Tell(s.to(), s.payload(), self, trace));
      case Effect.Ask a when requests.pendingOf(self) >= tv.config().mailboxCapacity() -> {
        // Every pending ask brings a REPLY: past a mailbox's worth, the ask fails at once.
        metrics.deadLetters.increment();
        router.send(
            new Message.Reply(
                self,
                ("actor "
                        + self
                        + " has "
                        + tv.config().mailboxCapacity()
                        + " asks pending, its type's limit (mailboxCapacity)")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                a.to(),
                a.correlationId(),
                ReplyStatus.UNDELIVERABLE,
                trace));
      }
      case Effect.Ask a -> {
        RequestRef ref =
            requests.register(
                new Requests.FromActor(a.to(), self, a.correlationId(), trace),
                Router.deadline(config.clock().nanoTime(), a.timeout()));
        router.send(new Message.Ask(a.to(), a.payload(), self, ref, trace));
      }
      case Effect.Reply r -> router.answer(Answer.ok(r.request(), self, r.payload(), trace));
      case Effect.Publish p -> router.publish(self, p.topic(), p.payload(), trace);
      case Effect.SetTimer t -> {
        if (!expiry) {
          timers.arm(self, t.timerId(), t.dueNanos(), trace);
        }
      }
      case Effect.CancelTimer c -> {
        // The timer stays queued; it is skipped when due because the state no longer has it.
      }
      case Effect.Subscribe s -> {
        if (!expiry) {
          bus.subscribe(self, s.filter());
        }
      }
      case Effect.Unsubscribe u -> bus.unsubscribe(self, u.filter());
      case Effect.Log l -> guestLog(tv, self, l, trace);
    }
  }

  /**
   * Writes a guest's log line to the node's log (logger {@code mayfly.actor.TYPE}), within the
   * actor's log limit; a line over it is dropped and counted, and summarized.
   */
  private void guestLog(TypeVersion tv, Address self, Effect.Log l, TraceContext trace) {
    System.Logger.Level level =
        switch (l.level()) {
          case 0 -> System.Logger.Level.TRACE;
          case 1 -> System.Logger.Level.DEBUG;
          case 2 -> System.Logger.Level.INFO;
          case 3 -> System.Logger.Level.WARNING;
          default -> System.Logger.Level.ERROR;
        };
    System.Logger logger = LogContext.actorLogger(self);
    if (!logger.isLoggable(level)) {
      return; // not written, so not charged to the limit
    }
    GuestLogLimiter.Verdict verdict =
        logLimiter.take(self, summary -> GuestLogLimiter.summarize(self, trace, summary));
    if (verdict == GuestLogLimiter.Verdict.DROP) {
      tv.counters().logDropped.increment();
      return;
    }
    LogContext.log(logger, level, self, trace, l.text());
  }
}
