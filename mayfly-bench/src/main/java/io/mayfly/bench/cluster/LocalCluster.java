package io.mayfly.bench.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mayfly.bench.Logs;
import io.mayfly.cluster.ClusterConfig;
import io.mayfly.cluster.ClusterMember;
import io.mayfly.cluster.ClusterStatus;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Members of one cluster in this JVM, each on a free loopback port, with the default cluster
 * settings (271 partitions, one backup, heartbeat 1 s, failure timeout 5 s) and one worker per core
 * each, as {@code mayfly run} would start them. Other members (child JVMs) may join through {@link
 * #seeds()}.
 */
final class LocalCluster implements AutoCloseable {
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final int workers;
  private final List<ClusterMember> members = new ArrayList<>();
  private final List<String> seeds = new ArrayList<>();

  private LocalCluster(String name, int workers) {
    this.name = name;
    this.workers = workers;
  }

  /**
   * Starts {@code size} members of a new cluster named {@code name}, one after the other, and waits
   * until they agree on who owns what.
   */
  static LocalCluster start(String name, int size, int workers) {
    Logs.quiet();
    var cluster = new LocalCluster(name, workers);
    try {
      for (int i = 0; i < size; i++) {
        cluster.seeds.add("127.0.0.1:" + Ports.freeLoopback());
      }
      for (int i = 0; i < size; i++) {
        cluster.members.add(cluster.startMember(i));
      }
      cluster.awaitSettled(size);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The name of the cluster. */
  String name() {
    return name;
  }

  /** The {@code host:port} of every member started here, for members joining from elsewhere. */
  List<String> seeds() {
    return List.copyOf(seeds);
  }

  /** The nodes of the members running here, in the order they started. */
  List<Mayfly> nodes() {
    return members.stream().map(ClusterMember::node).toList();
  }

  Mayfly node(int i) {
    return members.get(i).node();
  }

  /** Starts one more member here, joining through the others; returns once it has joined. */
  ClusterMember join() {
    seeds.add("127.0.0.1:" + Ports.freeLoopback());
    ClusterMember member = startMember(seeds.size() - 1);
    members.add(member);
    return member;
  }

  /** Closes the member that joined last: it drains its node and hands its partitions over. */
  void leave() {
    members.removeLast().close();
    seeds.removeLast();
  }

  private ClusterMember startMember(int i) {
    ClusterConfig config =
        ClusterConfig.builder()
            .name(name)
            .port(Integer.parseInt(seeds.get(i).substring(seeds.get(i).lastIndexOf(':') + 1)))
            .nodeId(name + "-m" + i)
            .members(seeds)
            .build();
    // Bounded: a join was seen to wait two minutes for the answer to a listener registration (the
    // answer, an exception, was refused by the deserialization filter) before Hazelcast gave up.
    var joining =
        CompletableFuture.supplyAsync(
            () -> ClusterMember.join(config, Mayfly.builder().workers(workers)),
            command -> Thread.ofPlatform().daemon().name("member-join").start(command));
    try {
      return joining.get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "member " + config.nodeId() + " did not join within " + JOIN_TIMEOUT.toSeconds() + " s",
          e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while member " + config.nodeId() + " joined");
    }
  }

  /**
   * Waits until every member here sees {@code size} members, Hazelcast has no migration in flight
   * and every backup in sync, the partition table covers every partition, each member serves
   * exactly the partitions the table gives it, and no commit awaits its backup.
   *
   * @throws IllegalStateException if that takes longer than a minute
   */
  void awaitSettled(int size) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (!settled(size)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "cluster "
                + name
                + " did not settle on "
                + size
                + " members within "
                + SETTLE_TIMEOUT.toSeconds()
                + " s: "
                + members.stream().map(ClusterMember::status).toList());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private boolean settled(int size) {
    // Hazelcast's own view: no migration in flight and every backup in sync, on each member here.
    for (HazelcastInstance instance : Hazelcast.getAllHazelcastInstances()) {
      if (instance.getConfig().getClusterName().equals(name)
          && !instance.getPartitionService().isClusterSafe()) {
        return false;
      }
    }
    for (ClusterMember member : members) {
      ClusterStatus status = member.status();
      int tabled = status.members().stream().mapToInt(ClusterStatus.Member::partitions).sum();
      if (status.members().size() != size
          || tabled != status.partitionCount()
          || status.local().partitions() != status.partitionsOwned()
          || status.replicationBacklog() != 0) {
        return false;
      }
    }
    return true;
  }

  /** Stops every member here, the last started first. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (ClusterMember member : members.reversed()) {
      try {
        member.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    members.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
