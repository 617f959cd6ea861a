package io.mayfly.bench.iot;

import io.mayfly.bench.Guests;
import io.mayfly.bench.Logs;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Mayfly: an embedded node with one CPU worker per core and {@code sensor.wasm} deployed as type
 * {@code sensor} with the default type configuration (a mailbox holds up to 1 024 messages); sensor
 * {@code i} is the actor {@code sensor/<i>} (verification sensors {@code sensor/v<i>}).
 *
 * <p>A message refused with a full mailbox is reported to the driver, which resends it later, as a
 * client of a node must: the node's scheduling is fair in turns (every actor with messages gets a
 * batch per round), not in mailbox lengths, so an actor that fell behind (its worker was
 * descheduled in the middle of its batch while the other worker served the rest) stays as far
 * behind while the driver keeps all sensors equally busy, and with few sensors its share of the
 * driver's messages in flight can reach the mailbox's bound. Alerts are the actors' publications on
 * {@code alerts/<id>}, received through {@code node.subscribe("alerts/#", ...)}; asks are {@code
 * node.ask}.
 */
final class MayflyFleet implements ActorFleet {
  static final String TYPE = "sensor";
  private static final String ALERTS = "alerts/";

  /** Far beyond any latency here: an ask that times out is a failure of the run. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final List<Mayfly> nodes;
  private final boolean owned;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final Address[][] addresses = new Address[Group.values().length][0];

  /** Messages refused with a full mailbox (and resent by the driver): rejected, but expected. */
  private final LongAdder refused = new LongAdder();

  MayflyFleet(int workers, AlertSink sink) {
    this("Mayfly", List.of(embedded(workers)), true, sink);
  }

  private static Mayfly embedded(int workers) {
    Logs.quiet();
    Mayfly node = Mayfly.builder().workers(workers).build();
    node.deploy(TYPE, Guests.sensor());
    return node;
  }

  /**
   * Sensors on {@code nodes}, where type {@value #TYPE} is deployed already; they stay open when
   * the fleet closes.
   */
  MayflyFleet(String name, List<Mayfly> nodes, AlertSink sink) {
    this(name, nodes, false, sink);
  }

  private MayflyFleet(String name, List<Mayfly> nodes, boolean owned, AlertSink sink) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one node");
    }
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.owned = owned;
    for (Mayfly node : this.nodes) {
      subscriptions.add(
          node.subscribe(ALERTS + "#", (topic, payload, publisher) -> alert(sink, topic, payload)));
    }
  }

  private static void alert(AlertSink sink, String topic, byte[] payload) {
    if (payload.length != 16) {
      sink.malformed("a publication of " + payload.length + " bytes on " + topic);
      return;
    }
    Group.Sensor s;
    try {
      s = Group.parse(topic.substring(ALERTS.length()));
    } catch (IllegalArgumentException e) {
      sink.malformed("a publication on " + topic + ": " + e.getMessage());
      return;
    }
    sink.alert(s.group(), s.number(), Readings.doubleAt(payload, 0), Readings.doubleAt(payload, 8));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void grow(Group group, int sensors) {
    Address[] have = addresses[group.ordinal()];
    if (have.length >= sensors) {
      return;
    }
    Address[] grown = Arrays.copyOf(have, sensors);
    for (int i = have.length; i < sensors; i++) {
      grown[i] = Address.of(TYPE, group.id(i));
    }
    addresses[group.ordinal()] = grown;
  }

  @Override
  public boolean tell(Group group, int sensor, byte[] reading) {
    try {
      entry(sensor).tell(addresses[group.ordinal()][sensor], reading);
      return true;
    } catch (MailboxFullException e) {
      refused.increment();
      return false;
    }
  }

  @Override
  public CompletionStage<WindowStats> ask(Group group, int sensor, byte[] reading) {
    CompletableFuture<byte[]> reply =
        entry(sensor)
            .ask(addresses[group.ordinal()][sensor], reading, ASK_TIMEOUT)
            .toCompletableFuture();
    if (reply.state() == Future.State.FAILED
        && reply.exceptionNow() instanceof MailboxFullException) {
      refused.increment();
      return null;
    }
    return reply.thenApply(WindowStats::decode);
  }

  private Mayfly entry(int sensor) {
    return nodes.size() == 1 ? nodes.getFirst() : nodes.get(sensor % nodes.size());
  }

  @Override
  public long turns() {
    long turns = 0;
    long rejected = 0;
    for (Mayfly node : nodes) {
      NodeStats stats = node.stats();
      if (stats.failedTurns() > 0) {
        throw new IllegalStateException(name + ": the sensors' turns must not fail: " + stats);
      }
      turns += stats.turns();
      rejected += stats.rejected();
    }
    if (rejected > refused.sum()) {
      throw new IllegalStateException(
          name
              + ": "
              + rejected
              + " messages rejected, only "
              + refused.sum()
              + " of them refused to the driver with a full mailbox");
    }
    return turns;
  }

  @Override
  public void awaitAlerts() {
    // Publications reach the listener while the turn commits, before it is counted.
  }

  @Override
  public boolean hasWorkerThreads() {
    return true;
  }

  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
    if (owned) {
      nodes.forEach(Mayfly::close);
    }
  }
}
