package io.mayfly.cluster;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.TurnListener;
import io.mayfly.testing.Checkout;
import io.mayfly.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * Members of one cluster in this JVM, on free loopback ports, each with the probe actor deployed
 * (testdata/guests/c/probe.c: its payloads are scripts).
 */
final class Members implements AutoCloseable {
  static final byte[] PROBE = Checkout.guest("probe");

  /** Fewer partitions than the default: hand-overs and listings are quicker, routing the same. */
  static final int PARTITIONS = 31;

  private final String name;
  private final MayflyClock clock;
  private final IntFunction<TurnListener> listeners;
  final List<ClusterMember> all = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private Members(String name, MayflyClock clock, IntFunction<TurnListener> listeners) {
    this.name = name;
    this.clock = clock;
    this.listeners = listeners;
  }

  /** {@code n} members on the system clock. */
  static Members start(int n) {
    return start(n, MayflyClock.system(), i -> null);
  }

  /** {@code n} members on {@code clock}, member {@code i} reporting its turns to listener i. */
  static Members start(int n, MayflyClock clock, IntFunction<TurnListener> listeners) {
    var members = new Members("test-" + Ports.freeLoopback(), clock, listeners);
    for (int i = 0; i < n; i++) {
      members.ports.add(Ports.freeLoopback());
    }
    try {
      for (int i = 0; i < n; i++) {
        members.add(i);
      }
      members.awaitSettled();
    } catch (RuntimeException e) {
      members.close();
      throw e;
    }
    return members;
  }

  /** Waits until the members running agree on who owns what and no migration is in flight. */
  void awaitSettled() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                all.stream()
                    .filter(m -> m != null && !((HazelcastMember) m).closed())
                    .allMatch(m -> ((HazelcastMember) m).settled()));
  }

  /** Starts member {@code i} (again, after it stopped) and deploys the probe on it. */
  ClusterMember add(int i) {
    for (int attempt = 1; ; attempt++) {
      try {
        return tryAdd(i);
      } catch (ClusterException e) {
        // The others' attempts to reach the port before it was bound can take it themselves (a
        // TCP connection to a loopback port nobody listens on may connect to itself): another.
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("already in use")) {
          throw e;
        }
        ports.set(i, Ports.freeLoopback());
      }
    }
  }

  private ClusterMember tryAdd(int i) {
    var config =
        ClusterConfig.builder()
            .name(name)
            .port(ports.get(i))
            .nodeId("m" + i)
            .partitionCount(PARTITIONS)
            .failureTimeout(Duration.ofSeconds(3));
    for (int p : ports) {
      config.member("127.0.0.1:" + p);
    }
    ClusterMember m =
        ClusterMember.join(
            config.build(),
            Mayfly.builder().workers(2).clock(clock).turnListener(listeners.apply(i)));
    m.node().deploy("probe", PROBE);
    while (all.size() <= i) {
      all.add(null);
    }
    all.set(i, m);
    return m;
  }

  /** Starts one more member, which joins through the others; returns its index. */
  int join() {
    ports.add(Ports.freeLoopback());
    int i = ports.size() - 1;
    add(i);
    return i;
  }

  ClusterMember get(int i) {
    return all.get(i);
  }

  Mayfly node(int i) {
    return all.get(i).node();
  }

  /** The index of the member that owns {@code address} now. */
  int ownerOf(Address address) {
    for (int i = 0; i < all.size(); i++) {
      ClusterMember m = all.get(i);
      if (m != null && !((HazelcastMember) m).closed() && ((HazelcastMember) m).owns(address)) {
        return i;
      }
    }
    return -1;
  }

  /** An address of the probe owned by member {@code i}, the first from {@code prefix0, 1...}. */
  Address ownedBy(int i, String prefix) {
    return ownedBy(i, "probe", prefix);
  }

  /** An address of {@code type} owned by member {@code i}. */
  Address ownedBy(int i, String type, String prefix) {
    for (int k = 0; ; k++) {
      Address a = Address.of(type, prefix + k);
      if (ownerOf(a) == i) {
        return a;
      }
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Asks and returns the reply text; rethrows the failure unwrapped. */
  static String ask(Mayfly node, Address address, String script) {
    try {
      return text(
          node.ask(address, bytes(script), Duration.ofSeconds(30)).toCompletableFuture().join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The value of one key of an actor's state as {@code node} reads it, or null. */
  static String peek(Mayfly node, Address address, String key) {
    return node.state(address)
        .map(s -> s.entries().get(key))
        .map(e -> text(e.value()))
        .orElse(null);
  }

  @Override
  public void close() {
    for (ClusterMember m : all) {
      if (m != null) {
        ((HazelcastMember) m).crash();
      }
    }
  }
}
