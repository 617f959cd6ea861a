package io.mayfly.bench.cluster;

import io.mayfly.bench.iot.IotOnNodes;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sensor actors of the cluster workload ({@code sensor.wasm}, type {@value IotOnNodes#TYPE}) seen
 * from outside: asks, which member runs an actor, and sweeps of asks over many actors.
 */
final class Sensors {
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  /** How long a member's turn count may lag behind the reply of the turn it counts. */
  private static final long COUNT_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** Asks in flight during a sweep. */
  private static final int SWEEP_IN_FLIGHT = 256;

  /** A reading: told, it is inserted into the window; asked, it is ignored. */
  static final byte[] READING = IotOnNodes.reading(20.0);

  private Sensors() {}

  static Address sensor(String id) {
    return Address.of(IotOnNodes.TYPE, id);
  }

  /** Waits until every node has the sensor type (a deploy on one member reaches the others). */
  static void awaitDeployed(List<Mayfly> nodes) {
    awaitDeployed(nodes, IotOnNodes.TYPE);
  }

  /** Waits until every node has {@code type} (a deploy on one member reaches the others). */
  static void awaitDeployed(List<Mayfly> nodes, String type) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!nodes.stream().allMatch(n -> n.type(type).isPresent())) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("type " + type + " did not reach every member within 60 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Asks a sensor through {@code entry} how many readings its window holds (an ask inserts none).
   *
   * @throws IllegalStateException if the ask fails
   */
  static int ask(Mayfly entry, Address sensor) {
    return IotOnNodes.windowCount(call(entry, sensor, READING));
  }

  /**
   * Asks {@code actor} {@code payload} through {@code entry} and waits for the reply.
   *
   * @throws IllegalStateException if the ask fails
   */
  static byte[] call(Mayfly entry, Address actor, byte[] payload) {
    try {
      return entry.ask(actor, payload, ASK_TIMEOUT).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("ask to " + actor + " failed: " + e.getCause(), e);
    }
  }

  /**
   * Asks {@code actor} {@code payload} through {@code entry} and finds which of {@code nodes} ran
   * the turn, from their turn counts (nothing else may run turns on them meanwhile).
   *
   * @return the index of that node, or -1 if none of them did (a member elsewhere runs it)
   * @throws IllegalStateException if the ask fails
   */
  static int owner(List<Mayfly> nodes, Mayfly entry, Address actor, byte[] payload) {
    long[] before = turns(nodes);
    call(entry, actor, payload);
    long deadline = System.nanoTime() + COUNT_LAG_NANOS;
    do {
      long[] after = turns(nodes);
      for (int i = 0; i < after.length; i++) {
        if (after[i] > before[i]) {
          return i;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    } while (System.nanoTime() - deadline < 0);
    return -1;
  }

  /**
   * The first actor {@code type/prefix0, prefix1, ...} that node {@code owner} of {@code nodes}
   * runs, found by asking it {@code payload} through the first node.
   */
  static Address ownedBy(
      List<Mayfly> nodes, int owner, String type, String prefix, byte[] payload) {
    for (int k = 0; k < 1_000; k++) {
      Address actor = Address.of(type, prefix + k);
      if (owner(nodes, nodes.getFirst(), actor, payload) == owner) {
        return actor;
      }
    }
    throw new IllegalStateException("member " + owner + " runs none of 1 000 actors " + prefix);
  }

  private static long[] turns(List<Mayfly> nodes) {
    return nodes.stream().mapToLong(n -> n.stats().turns()).toArray();
  }

  /** Tells sensors {@code prefix0 .. prefix(count-1)} one reading each through {@code entry}. */
  static void tellEach(Mayfly entry, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      entry.tell(sensor(prefix + i), READING);
    }
  }

  /**
   * Asks sensors {@code prefix0 .. prefix(count-1)} for their windows through {@code entry}, up to
   * {@value #SWEEP_IN_FLIGHT} at a time, and checks that each holds {@code expected} readings. An
   * ask inserts nothing: it reads the window the sensor's last committed tell left.
   *
   * @return a description of the first sensor whose window is off, or null if none is
   * @throws IllegalStateException naming the first sensor whose ask failed
   */
  static String sweep(Mayfly entry, String prefix, int count, int expected) {
    int want = expected;
    var failed = new AtomicReference<String>();
    var permits = new Semaphore(SWEEP_IN_FLIGHT);
    var problem = new AtomicReference<String>();
    for (int i = 0; i < count && failed.get() == null; i++) {
      permits.acquireUninterruptibly();
      Address sensor = sensor(prefix + i);
      entry
          .ask(sensor, READING, ASK_TIMEOUT)
          .whenComplete(
              (reply, failure) -> {
                try {
                  if (failure != null) {
                    failed.compareAndSet(null, "ask to " + sensor + " failed: " + failure);
                  } else if (IotOnNodes.windowCount(reply) != want) {
                    problem.compareAndSet(
                        null,
                        sensor
                            + " holds "
                            + IotOnNodes.windowCount(reply)
                            + " readings, expected "
                            + want);
                  }
                } finally {
                  permits.release();
                }
              });
    }
    permits.acquireUninterruptibly(SWEEP_IN_FLIGHT);
    permits.release(SWEEP_IN_FLIGHT);
    if (failed.get() != null) {
      throw new IllegalStateException(failed.get());
    }
    return problem.get();
  }

  private static String sweepOrFailure(Mayfly entry, String prefix, int count, int expected) {
    try {
      return sweep(entry, prefix, count, expected);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  /**
   * Sweeps until every sensor's window holds {@code expected} readings (tells still on their way
   * arrive meanwhile) and every ask is answered.
   *
   * @throws IllegalStateException if some window is still off after a minute, naming it
   */
  static void awaitWindows(Mayfly entry, String prefix, int count, int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String problem;
    while ((problem = sweepOrFailure(entry, prefix, count, expected)) != null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("after a minute " + problem);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
