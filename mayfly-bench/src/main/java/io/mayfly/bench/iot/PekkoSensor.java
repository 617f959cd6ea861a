package io.mayfly.bench.iot;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The sensor as a plain-Java Pekko typed actor: the same logic as {@code sensor.c} through {@link
 * Window}, its window in memory. A reading that raises an alert sends it to the collector; an ask
 * replies the window's mean and count. Every handled message counts one turn.
 */
final class PekkoSensor extends AbstractBehavior<PekkoSensor.Message> {
  /** What a sensor handles. */
  sealed interface Message permits Reading, Ask {}

  /** A TELL: a 64-byte reading, decoded by the actor as the Wasm actor decodes it. */
  record Reading(byte[] reading) implements Message {}

  /** An ASK: reply the window's mean and count, insert nothing (the reading is ignored). */
  record Ask(byte[] reading, ActorRef<WindowStats> replyTo) implements Message {}

  /** What the alert collector handles. */
  sealed interface Collected permits Alert, Flush {}

  /** An alert from a sensor. */
  record Alert(Group group, int sensor, double x, double mean) implements Collected {}

  /** Answers once every alert that reached the collector before it has been delivered. */
  record Flush(ActorRef<org.apache.pekko.Done> replyTo) implements Collected {}

  private final Group group;
  private final int sensor;
  private final ActorRef<Collected> collector;
  private final LongAdder turns;
  private final Window window = new Window();

  private PekkoSensor(
      ActorContext<Message> context,
      Group group,
      int sensor,
      ActorRef<Collected> collector,
      LongAdder turns) {
    super(context);
    this.group = group;
    this.sensor = sensor;
    this.collector = collector;
    this.turns = turns;
  }

  /** Sensor {@code sensor} of {@code group}; alerts go to {@code collector}. */
  static Behavior<Message> create(
      Group group, int sensor, ActorRef<Collected> collector, LongAdder turns) {
    return Behaviors.setup(context -> new PekkoSensor(context, group, sensor, collector, turns));
  }

  /** The collector: hands each alert to the sink, one at a time. */
  static Behavior<Collected> collector(AlertSink sink) {
    return Behaviors.receive(Collected.class)
        .onMessage(
            Alert.class,
            a -> {
              sink.alert(a.group(), a.sensor(), a.x(), a.mean());
              return Behaviors.same();
            })
        .onMessage(
            Flush.class,
            f -> {
              f.replyTo().tell(org.apache.pekko.Done.getInstance());
              return Behaviors.same();
            })
        .build();
  }

  @Override
  public Receive<Message> createReceive() {
    return newReceiveBuilder()
        .onMessage(Reading.class, this::onReading)
        .onMessage(Ask.class, this::onAsk)
        .build();
  }

  private Behavior<Message> onReading(Reading r) {
    double x = Readings.value(r.reading());
    if (window.read(x)) {
      collector.tell(new Alert(group, sensor, x, window.mean()));
    }
    turns.increment();
    return this;
  }

  private Behavior<Message> onAsk(Ask a) {
    window.inspect();
    a.replyTo().tell(new WindowStats(window.mean(), window.count()));
    turns.increment();
    return this;
  }
}
