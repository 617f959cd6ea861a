package io.mayfly.bench.iot;

import io.mayfly.bench.Guests;
import io.mayfly.bench.Logs;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.MailboxFullException;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Subscription;
import java.time.Duration;
import java.util.Arrays;
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

  private final Mayfly node;
  private final Subscription subscription;
  private final Address[][] addresses = new Address[Group.values().length][0];

  /** Messages refused with a full mailbox (and resent by the driver): rejected, but expected. */
  private final LongAdder refused = new LongAdder();

  MayflyFleet(int workers, AlertSink sink) {
    Logs.quiet();
    this.node = Mayfly.builder().workers(workers).build();
    node.deploy(TYPE, Guests.sensor());
    this.subscription =
        node.subscribe(ALERTS + "#", (topic, payload, publisher) -> alert(sink, topic, payload));
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
    return "Mayfly";
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
      node.tell(addresses[group.ordinal()][sensor], reading);
      return true;
    } catch (MailboxFullException e) {
      refused.increment();
      return false;
    }
  }

  @Override
  public CompletionStage<WindowStats> ask(Group group, int sensor, byte[] reading) {
    CompletableFuture<byte[]> reply =
        node.ask(addresses[group.ordinal()][sensor], reading, ASK_TIMEOUT).toCompletableFuture();
    if (reply.state() == Future.State.FAILED
        && reply.exceptionNow() instanceof MailboxFullException) {
      refused.increment();
      return null;
    }
    return reply.thenApply(WindowStats::decode);
  }

  @Override
  public long turns() {
    NodeStats stats = node.stats();
    if (stats.failedTurns() > 0 || stats.rejected() > refused.sum()) {
      throw new IllegalStateException("Mayfly: the sensors' turns must not fail: " + stats);
    }
    return stats.turns();
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
    subscription.close();
    node.close();
  }
}
