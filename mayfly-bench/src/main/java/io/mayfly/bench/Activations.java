package io.mayfly.bench;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.lang.management.ManagementFactory;

/**
 * First messages to actors never seen before, as {@link ActivationCost} and the {@link Footprint}
 * probe time them: batches of {@value #BATCH} addresses are made beforehand (outside the measured
 * time); one thread tells each its message, as an ingress thread would, and waits until the node
 * has handled the batch. On a synchronous node each turn runs inside its {@code tell}. Waiting per
 * batch bounds the mailboxes in flight, as an ingress that answers its clients does.
 */
public final class Activations {
  /** Addresses per batch: 10 000. */
  public static final int BATCH = 10_000;

  private Activations() {}

  /**
   * {@code count} distinct addresses of {@code type}: ids {@code a<first>}, {@code a<first+1>}...
   */
  public static Address[] fresh(String type, long first, int count) {
    var addresses = new Address[count];
    for (int i = 0; i < count; i++) {
      addresses[i] = Address.of(type, "a" + (first + i));
    }
    return addresses;
  }

  /**
   * Tells each address {@code payload} and returns once the node has run a turn for each.
   *
   * @throws IllegalStateException if a turn failed or the node stopped making progress
   */
  public static void activate(Mayfly node, Address[] addresses, byte[] payload) {
    long target = node.stats().turns() + addresses.length;
    for (Address a : addresses) {
      node.tell(a, payload);
    }
    Turns.await(node, target);
  }

  /**
   * Time spent activating actors.
   *
   * @param wallNanos elapsed time
   * @param cpuNanos CPU time of the whole process meanwhile (all threads: workers, the telling
   *     thread, GC, JIT)
   */
  public record Timing(long wallNanos, long cpuNanos) {}

  /**
   * Activates {@code count} unseen actors of {@code type} (ids {@code a0}, {@code a1}, ...) in
   * batches of {@value #BATCH}; returns the time spent in {@link #activate}, without making the
   * addresses.
   */
  public static Timing activateAll(Mayfly node, String type, int count, byte[] payload) {
    long wall = 0;
    long cpu = 0;
    for (int first = 0; first < count; first += BATCH) {
      Address[] batch = fresh(type, first, Math.min(BATCH, count - first));
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      activate(node, batch, payload);
      wall += System.nanoTime() - start;
      cpu += processCpuNanos() - cpuStart;
    }
    return new Timing(wall, cpu);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
