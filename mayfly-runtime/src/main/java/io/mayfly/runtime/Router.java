package io.mayfly.runtime;

import io.mayfly.runtime.TypeRegistry.TypeVersion;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.Placement;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.MayflyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every message and answer goes. A message for an actor this node owns (the {@link Placement}
 * says which) is queued in the actor's mailbox, its cell; any other is forwarded to its owner. An
 * answer for a request this node holds completes it; any other is forwarded to the node that holds
 * it. Ingress (tell and ask from outside) checks the type, the size and the mailbox bound and
 * throws; messages between actors never throw: what cannot be delivered is a dead letter, and an
 * ask that cannot be delivered is answered UNDELIVERABLE.
 */
class Router implements ActorCell.Host {
  private static final System.Logger LOG = System.getLogger(Router.class.getName());

  /** Runs a cell's turns; set once the runner exists (it needs the router to send). */
  interface Turns {
    GuestInstance runTurn(ActorCell cell, Envelope envelope, GuestInstance guest);

    void release(Address address, GuestInstance guest);
  }

  private final NodeConfig config;
  private final Placement placement;
  private final TypeRegistry registry;
  private final Requests requests;
  private final TopicBus bus;
  private final NodeMetrics metrics;
  private final Dispatcher dispatcher;
  private final Idempotency idempotency;
  private final ConcurrentHashMap<Address, ActorCell> cells = new ConcurrentHashMap<>();
  private final long budget;

  /**
   * The queue budget is checked for every message over {@value #SMALL_BYTES} bytes and for every
   * {@value #SAMPLE}th smaller one a thread sends: reading the node's byte count on every message
   * costs the workers cache traffic, and a thread can pass the budget by at most {@value #SAMPLE}
   * small messages between two checks.
   */
  static final int SMALL_BYTES = 1024;

  static final int SAMPLE = 32;

  private static final ThreadLocal<int[]> SENT_SINCE_CHECK =
      ThreadLocal.withInitial(() -> new int[1]);
  private Turns turns;

  Router(
      NodeConfig config,
      TypeRegistry registry,
      Requests requests,
      TopicBus bus,
      NodeMetrics metrics,
      Dispatcher dispatcher,
      Idempotency idempotency) {
    this.config = config;
    this.placement = config.placement();
    this.registry = registry;
    this.requests = requests;
    this.bus = bus;
    this.metrics = metrics;
    this.dispatcher = dispatcher;
    this.idempotency = idempotency;
    this.budget = config.queueBudgetBytes();
  }

  void bind(Turns turns) {
    this.turns = turns;
  }

  long activeActors() {
    return cells.size();
  }

  /** Actors with a mailbox right now, by type. */
  Map<String, Long> activeActorsByType() {
    var out = new HashMap<String, Long>();
    for (Address a : cells.keySet()) {
      out.merge(a.type(), 1L, Long::sum);
    }
    return out;
  }

  boolean idle() {
    return cells.isEmpty();
  }

  // ---- ingress ------------------------------------------------------------------------------

  /**
   * Checks a message from outside: its type is deployed and its payload within the type's limit.
   */
  TypeVersion checkIngress(Address to, byte[] payload) {
    try {
      TypeVersion tv = registry.require(to.type());
      if (payload.length > tv.config().maxMessageBytes()) {
        throw new MessageTooLargeException(
            "message of "
                + payload.length
                + " bytes is larger than the limit of "
                + tv.config().maxMessageBytes()
                + " bytes for type '"
                + to.type()
                + "'");
      }
      return tv;
    } catch (MayflyException e) {
      metrics.rejected.increment();
      throw e;
    }
  }

  /**
   * @param id the tell's idempotency key, or {@code null}
   */
  void tell(Address to, byte[] payload, String id, TraceContext trace) {
    checkId(id);
    TypeVersion tv = checkIngress(to, payload);
    deliverOrThrow(new Message.Tell(to, payload, null, id, trace), tv);
  }

  /**
   * A tell whose stage completes once its turn's outputs are released; what {@link #tell} throws,
   * this throws too, after forgetting the request.
   *
   * @param id the tell's idempotency key, or {@code null}
   */
  CompletionStage<Void> tellConfirmed(
      Address to, byte[] payload, Duration timeout, String id, long nowNanos, TraceContext trace) {
    checkId(id);
    TypeVersion tv = checkIngress(to, payload);
    Duration t = timeout == null ? tv.config().askTimeout() : timeout;
    var future = new CompletableFuture<byte[]>();
    RequestRef ref =
        requests.register(new Requests.External(to, future, t, true), deadline(nowNanos, t));
    try {
      deliverOrThrow(new Message.ConfirmedTell(to, payload, ref, id, trace), tv);
    } catch (MayflyException e) {
      requests.fail(ref, ReplyStatus.UNDELIVERABLE, e);
      throw e;
    }
    return future.thenApply(reply -> null);
  }

  /**
   * @param id the ask's idempotency key, or {@code null}
   */
  CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, String id, long nowNanos, TraceContext trace) {
    var future = new CompletableFuture<byte[]>();
    try {
      checkId(id);
      TypeVersion tv = checkIngress(to, payload);
      Duration t = timeout == null ? tv.config().askTimeout() : timeout;
      RequestRef ref =
          requests.register(new Requests.External(to, future, t), deadline(nowNanos, t));
      try {
        deliverOrThrow(new Message.Ask(to, payload, null, ref, id, trace), tv);
      } catch (MayflyException e) {
        requests.fail(ref, ReplyStatus.UNDELIVERABLE, e);
      }
    } catch (MayflyException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  private void checkId(String id) {
    if (id != null) {
      try {
        Message.checkId(id);
      } catch (MayflyException e) {
        metrics.rejected.increment();
        throw e;
      }
    }
  }

  /** When an ask of {@code timeout} made at {@code nowNanos} times out. */
  static long deadline(long nowNanos, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidConfigException(
          "an ask timeout must be a positive duration, was " + Durations.format(timeout));
    }
    try {
      return Math.addExact(nowNanos, timeout.toNanos());
    } catch (ArithmeticException e) {
      throw new InvalidConfigException(
          "an ask timeout must be at most 100 years, was " + timeout.toDays() + " days");
    }
  }

  private void deliverOrThrow(Message m, TypeVersion tv) {
    if (!placement.isLocal(m.target())) {
      placement.forward(m);
      return;
    }
    if (m.id() != null) {
      try {
        if (!idempotency.admit(m, tv.counters())) {
          return; // a duplicate: acknowledged as the first was, or answered
        }
      } catch (IdempotencyKeyReusedException e) {
        metrics.rejected.increment();
        throw e;
      }
    }
    int capacity = tv.config().mailboxCapacity();
    ActorCell.Offer offer = enqueue(m, null, capacity, tv);
    if (offer == ActorCell.Offer.ACCEPTED) {
      return;
    }
    metrics.rejected.increment();
    MayflyException refused =
        offer == ActorCell.Offer.OVER_BUDGET
            ? overloaded(m, tv)
            : new MailboxFullException(
                "mailbox of " + m.target() + " is full (" + capacity + " messages)");
    if (m.id() != null) {
      idempotency.abandoned(m, refused, this);
    }
    throw refused;
  }

  // ---- between actors ---------------------------------------------------------------------

  /**
   * Delivers a message between actors, or from another node: never throws; what cannot be delivered
   * is dead, and an ask that cannot be is answered UNDELIVERABLE.
   */
  void send(Message m) {
    if (!placement.isLocal(m.target())) {
      try {
        placement.forward(m);
      } catch (MayflyException e) {
        undeliverable(m, e);
      }
      return;
    }
    TypeVersion tv = registry.get(m.target().type());
    if (tv == null) {
      undeliverable(
          m,
          new UnknownActorTypeException("actor type '" + m.target().type() + "' is not deployed"));
      return;
    }
    if (m.payload().length > tv.config().maxMessageBytes()) {
      undeliverable(
          m,
          new MessageTooLargeException(
              "message of "
                  + m.payload().length
                  + " bytes is larger than the limit of "
                  + tv.config().maxMessageBytes()
                  + " bytes of "
                  + m.target().type()));
      return;
    }
    if (m.id() != null) {
      try {
        if (!idempotency.admit(m, tv.counters())) {
          return;
        }
      } catch (IdempotencyKeyReusedException e) {
        undeliverable(m, e);
        return;
      }
    }
    // Replies and timers are bounded per actor (asks pending, timers pending), never refused.
    boolean system = m instanceof Message.Reply || m instanceof Message.Timer;
    int capacity = system ? Integer.MAX_VALUE : tv.config().mailboxCapacity();
    ActorCell.Offer offer = enqueue(m, null, capacity, tv);
    if (offer == ActorCell.Offer.ACCEPTED) {
      return;
    }
    MayflyException refused =
        offer == ActorCell.Offer.OVER_BUDGET
            ? overloaded(m, tv)
            : new MailboxFullException("mailbox of " + m.target() + " is full");
    undeliverable(m, refused);
  }

  /**
   * Publishes from an actor ({@code publisher}) or from outside ({@code null}), from the span
   * {@code trace} (or none): to this node's outside listeners, to the actors of type subscriptions
   * (wherever they live), to the subscribed actors this node owns, and through the placement to the
   * other nodes, which deliver to their own listeners and subscribed actors.
   */
  void publish(Address publisher, String topic, byte[] payload, TraceContext trace) {
    bus.notifyListeners(topic, payload, publisher, trace, false);
    for (Address target : bus.targets(topic, true, placement::isLocal)) {
      send(new Message.Publication(target, topic, payload, publisher, trace));
    }
    placement.publish(topic, payload, publisher, trace);
  }

  /**
   * Delivers a publication another node made to this node's cluster-wide outside listeners and the
   * subscribed actors it owns; that node routed it to the actors of type subscriptions already.
   */
  void publishFromElsewhere(Address publisher, String topic, byte[] payload, TraceContext trace) {
    bus.notifyListeners(topic, payload, publisher, trace, true);
    for (Address target : bus.targets(topic, false, placement::isLocal)) {
      send(new Message.Publication(target, topic, payload, publisher, trace));
    }
  }

  /** Queues a message of the runtime's own (an expiry) past the mailbox bound. */
  void enqueueSystem(Message m, ActorState expiring) {
    enqueue(m, expiring, Integer.MAX_VALUE, registry.get(m.target().type()));
  }

  private OverloadedException overloaded(Message m, TypeVersion tv) {
    metrics.overloaded.increment();
    return new OverloadedException(
        "the node's queues are full ("
            + metrics.queuedBytes()
            + " bytes waiting, budget "
            + budget
            + " bytes; type '"
            + tv.type()
            + "' has "
            + tv.counters().queuedBytes.sum()
            + "): message to "
            + m.target()
            + " refused, retry later");
  }

  private static boolean checkBudget(Envelope e) {
    if (e.cost > SMALL_BYTES + Envelope.OVERHEAD) {
      return true;
    }
    int[] sent = SENT_SINCE_CHECK.get();
    if (++sent[0] < SAMPLE) {
      return false;
    }
    sent[0] = 0;
    return true;
  }

  /**
   * Whether a message of {@code cost} bytes for a type may queue: the node stays within its budget,
   * and past half of it each type within its share.
   */
  private boolean withinBudget(TypeVersion tv, int cost) {
    long node = metrics.queuedBytes();
    if (node + cost <= budget / 2) {
      return true;
    }
    if (node + cost > budget) {
      return false;
    }
    long share = budget / Math.max(1, registry.size());
    return tv.counters().queuedBytes.sum() + cost <= share;
  }

  /**
   * Counts a dead letter; an ask or a confirmed tell is answered UNDELIVERABLE with the reason, and
   * so are the retries of a message with an id that waited for it.
   */
  void undeliverable(Message m, MayflyException reason) {
    metrics.deadLetters.increment();
    if (m.id() != null) {
      idempotency.abandoned(m, reason, this);
    }
    RequestRef request = Requests.waitingFor(m);
    if (request != null) {
      fail(request, m.target(), reason);
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "undeliverable " + m.kind() + " to " + m.target() + ": " + reason.getMessage());
  }

  /** Fails a request UNDELIVERABLE: with the exception itself when it is held here. */
  void fail(RequestRef request, Address from, MayflyException reason) {
    if (requests.holds(request)) {
      requests.fail(request, ReplyStatus.UNDELIVERABLE, reason);
    } else {
      answer(
          new Answer(
              request,
              from,
              ReplyStatus.UNDELIVERABLE,
              String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8),
              null));
    }
  }

  /** Completes a request held here, or carries the answer to the node that holds it. */
  void answer(Answer a) {
    if (requests.holds(a.request())) {
      requests.complete(a);
      return;
    }
    try {
      placement.forward(a);
    } catch (MayflyException e) {
      metrics.deadLetters.increment();
      LOG.log(
          System.Logger.Level.WARNING,
          "the answer to request "
              + a.request()
              + " from "
              + a.from()
              + " was lost: "
              + e.getMessage());
    }
  }

  // ---- mailboxes ----------------------------------------------------------------------------

  /**
   * Queues a message in its actor's cell.
   *
   * @param capacity the mailbox bound; {@link Integer#MAX_VALUE} for the runtime's own messages,
   *     which are not held to the queue budget either
   * @param tv the target's type, or {@code null} (an expiry of an undeployed type)
   */
  private ActorCell.Offer enqueue(Message m, ActorState expiring, int capacity, TypeVersion tv) {
    long at = metrics.timing() ? System.nanoTime() : 0;
    var envelope = new Envelope(m, expiring, at, tv == null ? metrics.orphans() : tv.counters());
    if (capacity != Integer.MAX_VALUE
        && checkBudget(envelope)
        && !withinBudget(tv, envelope.cost)) {
      return ActorCell.Offer.OVER_BUDGET;
    }
    for (; ; ) {
      ActorCell cell = cells.get(m.target());
      if (cell == null) {
        ActorCell fresh = new ActorCell(m.target(), this);
        cell = cells.putIfAbsent(m.target(), fresh);
        if (cell == null) {
          cell = fresh;
          metrics.activations.increment();
        }
      }
      ActorCell.Offer offer = cell.offer(envelope, capacity);
      if (offer != ActorCell.Offer.RETIRED) {
        return offer;
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void queued(Envelope e, int delta) {
    e.counters.queued.add(delta);
    e.counters.queuedBytes.add(delta * e.cost);
  }

  @Override
  public GuestInstance runTurn(ActorCell cell, Envelope envelope, GuestInstance guest) {
    return turns.runTurn(cell, envelope, guest);
  }

  @Override
  public void release(Address address, GuestInstance guest) {
    turns.release(address, guest);
  }

  @Override
  public void retire(ActorCell cell) {
    cells.remove(cell.address, cell);
  }
}
