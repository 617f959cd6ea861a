package io.mayfly.testkit;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.FailureReason;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.MessageTooLargeException;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.spi.StateStore;
import io.mayfly.wasm.MayflyException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The kit on a synchronous node: every call runs its turns on the calling thread, then takes the
 * recorded turns over and updates what the kit knows is due (timers, ask timeouts) so that {@link
 * #advance} can stop the clock at each due time.
 */
final class IsolatedKit implements ActorTestKit {
  /** Room for one actor's state, so the node's memory budget never evicts it. */
  private static final long MIN_STATE_BUDGET_BYTES = 64L << 20;

  /** An ask the actor made of another actor, with the request the runtime forwarded for it. */
  private record OpenAsk(Effect.Ask ask, Message forwarded, long dueNanos) {}

  /** An ask the test made that the actor has not answered yet. */
  private record OpenRequest(CompletableFuture<byte[]> future, long dueNanos) {}

  private final Address self;
  private final TypeConfig config;
  private final ManualClock clock;
  private final Isolation isolation;
  private final Mayfly node;

  private final List<TurnResult> turns = new ArrayList<>();
  private final ArrayDeque<Message> unmatchedAsks = new ArrayDeque<>();
  private int outboxSeen;
  private final Map<Long, OpenAsk> openAsks = new LinkedHashMap<>();
  private final Set<Long> endedAsks = new HashSet<>();
  private final Map<Long, Long> timerDue = new HashMap<>();
  private final List<OpenRequest> openRequests = new ArrayList<>();

  private IsolatedKit(
      Address self, TypeConfig config, ManualClock clock, Isolation isolation, Mayfly node) {
    this.self = self;
    this.config = config;
    this.clock = clock;
    this.isolation = isolation;
    this.node = node;
  }

  static IsolatedKit start(byte[] module, Address self, TypeConfig config, ManualClock clock) {
    var isolation = new Isolation(self, clock);
    long budget = Math.max(MIN_STATE_BUDGET_BYTES, 4L * config.maxStateBytes());
    // On a manual clock the node's own store drops each state exactly at its deadline.
    var store = StateStore.inMemory(clock, budget);
    Mayfly node =
        Mayfly.builder()
            .synchronous(true)
            .workers(1)
            .clock(clock)
            .stateStore(store)
            .placement(isolation)
            .turnListener(isolation)
            .nodeId("testkit")
            .build();
    try {
      node.deploy(self.type(), module, config);
    } catch (RuntimeException | Error e) {
      node.close(); // the module was refused: stop the node's threads, report the refusal as is
      throw e;
    }
    return new IsolatedKit(self, config, clock, isolation, node);
  }

  @Override
  public Address address() {
    return self;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  // ---- messages to the actor --------------------------------------------------------------

  @Override
  public TurnResult tell(byte[] payload) {
    List<TurnResult> ran = run(() -> node.tell(self, payload));
    return turnOf(ran, MessageKind.TELL, payload);
  }

  @Override
  public TurnResult tellFrom(Address sender, byte[] payload) {
    if (sender == null) {
      throw new InvalidConfigException("sender is required");
    }
    checkSize(payload);
    List<TurnResult> ran = run(() -> node.deliver(new Message.Tell(self, payload, sender)));
    return turnOf(ran, MessageKind.TELL, payload);
  }

  @Override
  public AskResult ask(byte[] payload, Duration timeout) {
    Duration t = timeout == null ? config.askTimeout() : timeout;
    if (t.isNegative() || t.isZero()) {
      throw new InvalidConfigException("ask timeout must be a positive duration, was " + t);
    }
    long at = clock.nanoTime();
    int from = turns.size();
    CompletableFuture<byte[]> future = node.ask(self, payload, t).toCompletableFuture();
    absorb();
    TurnResult turn = find(turns.subList(from, turns.size()), MessageKind.ASK, payload);
    if (turn == null) {
      if (future.isCompletedExceptionally() && future.exceptionNow() instanceof MayflyException e) {
        throw e; // refused at ingress (too large): no turn ran
      }
      throw new TestKitException("no turn ran for the ask " + Bytes.show(payload) + " to " + self);
    }
    if (!future.isDone()) {
      openRequests.add(new OpenRequest(future, at + t.toNanos()));
    }
    return new AskResult(turn, future);
  }

  @Override
  public List<TurnResult> publish(String topic, byte[] payload) {
    return run(() -> node.publish(topic, payload));
  }

  @Override
  public void putSharedData(String key, byte[] value) {
    node.putSharedData(key, value);
  }

  @Override
  public boolean removeSharedData(String key) {
    return node.removeSharedData(key);
  }

  @Override
  public TurnResult answer(Effect.Ask ask, ReplyStatus status, byte[] payload) {
    OpenAsk open = openAsks.get(ask.correlationId());
    if (open == null) {
      throw new TestKitException(notOpen(ask));
    }
    if (open.forwarded() == null) {
      throw new TestKitException(
          "the node did not forward the request of ask "
              + ask.correlationId()
              + " to "
              + ask.to()
              + ", so it cannot be answered");
    }
    Message.Ask forwarded = (Message.Ask) open.forwarded();
    Answer answer =
        switch (status) {
          case OK -> Answer.ok(forwarded.request(), ask.to(), payload);
          case FAILED ->
              Answer.failed(
                  forwarded.request(),
                  ask.to(),
                  FailureReason.GUEST_ERROR,
                  new String(payload, java.nio.charset.StandardCharsets.UTF_8));
          case TIMEOUT -> new Answer(forwarded.request(), ask.to(), status, new byte[0], null);
          case UNDELIVERABLE -> new Answer(forwarded.request(), ask.to(), status, payload, null);
        };
    List<TurnResult> ran = run(() -> node.deliver(answer));
    for (TurnResult t : ran) {
      if (t.kind() == MessageKind.REPLY && t.message().correlationId() == ask.correlationId()) {
        return t;
      }
    }
    throw new TestKitException(
        "answering ask " + ask.correlationId() + " to " + ask.to() + " ran no REPLY turn");
  }

  private String notOpen(Effect.Ask ask) {
    String which = "ask " + ask.correlationId() + " to " + ask.to();
    if (endedAsks.contains(ask.correlationId())) {
      return which + " has already ended (answered or timed out)";
    }
    if (self.equals(ask.to())) {
      return which + " is the actor asking itself; its own turn answers it";
    }
    return which + " was not made by a committed turn of " + self;
  }

  @Override
  public List<Effect.Ask> pendingAsks() {
    return openAsks.values().stream().map(OpenAsk::ask).toList();
  }

  // ---- time -------------------------------------------------------------------------------

  @Override
  public List<TurnResult> advance(Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new InvalidConfigException("advance needs a duration of zero or more, was " + duration);
    }
    long target = clock.nanoTime() + duration.toNanos();
    int from = turns.size();
    for (; ; ) {
      long now = clock.nanoTime();
      long next = nextDue(now, target);
      clock.advance(Duration.ofNanos(next - now));
      absorb();
      forgetPassed(next);
      if (next == target) {
        return List.copyOf(turns.subList(from, turns.size()));
      }
    }
  }

  /**
   * The earliest time after {@code now} and before {@code target} at which something the kit knows
   * of is due, or {@code target}. What the kit misses still runs, at the next stop.
   */
  private long nextDue(long now, long target) {
    long next = target;
    for (long due : timerDue.values()) {
      next = earlier(now, next, due);
    }
    for (OpenAsk a : openAsks.values()) {
      next = earlier(now, next, a.dueNanos());
    }
    openRequests.removeIf(r -> r.future().isDone());
    for (OpenRequest r : openRequests) {
      next = earlier(now, next, r.dueNanos());
    }
    Optional<ActorSnapshot> s = node.state(self);
    if (s.isPresent() && s.get().remainingTtl() != null) {
      next = earlier(now, next, now + s.get().remainingTtl().toNanos());
    }
    return next;
  }

  private static long earlier(long now, long next, long due) {
    return due - now > 0 && due - next < 0 ? due : next;
  }

  /** Drops what was due by {@code now}: it ran, or it never will (its actor state was dropped). */
  private void forgetPassed(long now) {
    timerDue.values().removeIf(due -> due - now <= 0);
    for (Iterator<Map.Entry<Long, OpenAsk>> it = openAsks.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().dueNanos() - now <= 0) {
        endedAsks.add(e.getKey());
        it.remove();
      }
    }
  }

  // ---- inspection -------------------------------------------------------------------------

  @Override
  public Map<String, byte[]> state() {
    var out = new LinkedHashMap<String, byte[]>();
    snapshot().ifPresent(s -> s.entries().forEach((k, v) -> out.put(k, v.value())));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Optional<ActorSnapshot> snapshot() {
    return node.state(self);
  }

  @Override
  public List<TurnResult> turns() {
    return List.copyOf(turns);
  }

  @Override
  public List<Message> outbox() {
    return List.copyOf(isolation.outbox());
  }

  @Override
  public void close() {
    node.close();
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  private List<TurnResult> run(Runnable action) {
    int from = turns.size();
    action.run();
    absorb();
    return List.copyOf(turns.subList(from, turns.size()));
  }

  /** The turn of the message just sent: the first of its kind with its payload. */
  private TurnResult turnOf(List<TurnResult> ran, MessageKind kind, byte[] payload) {
    TurnResult t = find(ran, kind, payload);
    if (t == null) {
      throw new TestKitException(
          "no turn ran for the " + kind + " " + Bytes.show(payload) + " to " + self);
    }
    return t;
  }

  private static TurnResult find(List<TurnResult> ran, MessageKind kind, byte[] payload) {
    for (TurnResult t : ran) {
      if (t.kind() == kind && Arrays.equals(t.payload(), payload)) {
        return t;
      }
    }
    return null;
  }

  private void checkSize(byte[] payload) {
    if (payload.length > config.maxMessageBytes()) {
      throw new MessageTooLargeException(
          "message of "
              + payload.length
              + " bytes is larger than the limit of "
              + config.maxMessageBytes()
              + " bytes for type '"
              + self.type()
              + "'");
    }
  }

  /** Takes over the turns the node recorded since the last call, in the order they ran. */
  private void absorb() {
    List<Message> outbox = isolation.outbox();
    for (; outboxSeen < outbox.size(); outboxSeen++) {
      Message m = outbox.get(outboxSeen);
      if (isolation.isOwnAsk(m)) {
        unmatchedAsks.add(m);
      }
    }
    for (Isolation.Recorded r : isolation.takeTurns()) {
      var turn = new TurnResult(r.record());
      turns.add(turn);
      track(turn, r.nanos());
    }
  }

  private void track(TurnResult turn, long nanos) {
    Message m = turn.message();
    switch (m.kind()) {
      case REPLY -> {
        openAsks.remove(m.correlationId());
        endedAsks.add(m.correlationId());
      }
      case TIMER -> timerDue.remove(m.correlationId());
      case EXPIRE -> timerDue.clear();
      default -> {}
    }
    if (!turn.committed()) {
      return;
    }
    for (Effect e : turn.effects()) {
      switch (e) {
        case Effect.SetTimer t when m.kind() != MessageKind.EXPIRE ->
            timerDue.put(t.timerId(), t.dueNanos());
        case Effect.CancelTimer c -> timerDue.remove(c.timerId());
        case Effect.Ask a when !self.equals(a.to()) ->
            openAsks.put(
                a.correlationId(), new OpenAsk(a, takeForwarded(a), nanos + a.timeout().toNanos()));
        default -> {}
      }
    }
  }

  /**
   * The request the node forwarded for {@code ask}. A committed turn's asks are forwarded in effect
   * order before the turn is recorded, so the oldest unmatched request to the same actor with the
   * same payload is the one.
   */
  private Message takeForwarded(Effect.Ask ask) {
    for (Iterator<Message> it = unmatchedAsks.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (m.target().equals(ask.to()) && Arrays.equals(m.payload(), ask.payload())) {
        it.remove();
        return m;
      }
    }
    return null;
  }
}
