package io.mayfly.bench.iot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Apache Pekko typed actors: one {@link PekkoSensor} per sensor, spawned by the guardian, alerts to
 * a collector actor, asks with {@link AskPattern}. Configured in code, logging at WARNING. Two
 * configurations: Pekko's default dispatcher as shipped (a fork-join pool of at least 8 threads, 5
 * messages per actor per run), or one sized to the cores (a fork-join pool of exactly {@code cores}
 * threads).
 */
final class PekkoFleet implements ActorFleet {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String QUIET =
      """
      pekko {
        loglevel = "WARNING"
        stdout-loglevel = "WARNING"
        log-dead-letters = off
        log-dead-letters-during-shutdown = off
        jvm-shutdown-hooks = off
        coordinated-shutdown.run-by-jvm-shutdown-hook = off
      }
      """;

  /** Spawns sensors {@code from .. to-1} of a group and replies their references. */
  private record Spawn(
      Group group, int from, int to, ActorRef<List<ActorRef<PekkoSensor.Message>>> replyTo) {}

  private final String name;
  private final ActorSystem<Spawn> system;
  private final ActorRef<PekkoSensor.Collected> collector;
  private final LongAdder turns = new LongAdder();

  /** The sensors spawned so far, by group (indexed by ordinal). */
  private final List<List<ActorRef<PekkoSensor.Message>>> sensors =
      Stream.of(Group.values())
          .<List<ActorRef<PekkoSensor.Message>>>map(g -> new ArrayList<>())
          .toList();

  private PekkoFleet(String name, String systemName, String dispatcher, AlertSink sink) {
    this.name = name;
    Config config = ConfigFactory.load(ConfigFactory.parseString(QUIET + dispatcher));
    this.system = ActorSystem.create(guardian(), systemName, config);
    this.collector =
        system.systemActorOf(PekkoSensor.collector(sink), "alert-collector", Props.empty());
  }

  /** The version of Pekko on the class path. */
  static String version() {
    return org.apache.pekko.Version.current();
  }

  /**
   * The threads of Pekko's default dispatcher on {@code cores} cores, as its reference.conf sizes
   * the fork-join pool: {@code cores * parallelism-factor}, rounded up, within {@code
   * parallelism-min .. parallelism-max}.
   */
  static int defaultDispatcherThreads(int cores) {
    Config pool =
        ConfigFactory.defaultReference()
            .getConfig("pekko.actor.default-dispatcher.fork-join-executor");
    int scaled = (int) Math.ceil(cores * pool.getDouble("parallelism-factor"));
    return Math.min(
        Math.max(scaled, pool.getInt("parallelism-min")), pool.getInt("parallelism-max"));
  }

  /** Pekko's default dispatcher, as configured in its reference.conf. */
  static PekkoFleet withDefaultDispatcher(AlertSink sink) {
    return new PekkoFleet("Pekko typed, default dispatcher", "pekko-default", "", sink);
  }

  /** The default dispatcher replaced by a fork-join pool of exactly {@code cores} threads. */
  static PekkoFleet withDispatcherOf(int cores, AlertSink sink) {
    String dispatcher =
        """
        pekko.actor.default-dispatcher {
          executor = "fork-join-executor"
          fork-join-executor {
            parallelism-min = %d
            parallelism-max = %d
          }
        }
        """
            .formatted(cores, cores);
    return new PekkoFleet(
        "Pekko typed, " + cores + " threads", "pekko-" + cores + "-threads", dispatcher, sink);
  }

  /** Spawns sensors; they send alerts to {@link #collector}, set before the first spawn. */
  private Behavior<Spawn> guardian() {
    return Behaviors.setup(
        context ->
            Behaviors.receive(Spawn.class)
                .onMessage(
                    Spawn.class,
                    s -> {
                      var refs = new ArrayList<ActorRef<PekkoSensor.Message>>();
                      for (int i = s.from(); i < s.to(); i++) {
                        refs.add(
                            context.spawn(
                                PekkoSensor.create(s.group(), i, collector, turns),
                                s.group().id(i)));
                      }
                      s.replyTo().tell(refs);
                      return Behaviors.same();
                    })
                .build());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void grow(Group group, int count) {
    List<ActorRef<PekkoSensor.Message>> have = sensors.get(group.ordinal());
    int from = have.size();
    if (from >= count) {
      return;
    }
    List<ActorRef<PekkoSensor.Message>> spawned =
        await(
            AskPattern.ask(
                system,
                replyTo -> new Spawn(group, from, count, replyTo),
                TIMEOUT,
                system.scheduler()),
            "spawning sensors");
    have.addAll(spawned);
  }

  @Override
  public boolean tell(Group group, int sensor, byte[] reading) {
    sensors.get(group.ordinal()).get(sensor).tell(new PekkoSensor.Reading(reading));
    return true; // unbounded mailboxes
  }

  @Override
  public CompletionStage<WindowStats> ask(Group group, int sensor, byte[] reading) {
    return AskPattern.ask(
        sensors.get(group.ordinal()).get(sensor),
        replyTo -> new PekkoSensor.Ask(reading, replyTo),
        TIMEOUT,
        system.scheduler());
  }

  @Override
  public long turns() {
    return turns.sum();
  }

  @Override
  public void awaitAlerts() {
    // Every alert of a counted turn was enqueued before it was counted, so before this flush.
    await(
        AskPattern.ask(collector, PekkoSensor.Flush::new, TIMEOUT, system.scheduler()),
        "flushing the alert collector");
  }

  @Override
  public boolean hasWorkerThreads() {
    return false;
  }

  private <T> T await(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(name + ": " + what + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(name + ": " + what + " took longer than " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while " + what, e);
    }
  }

  @Override
  public void close() {
    system.terminate();
    await(system.getWhenTerminated(), "terminating the actor system");
  }
}
