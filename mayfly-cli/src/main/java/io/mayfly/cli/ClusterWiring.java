package io.mayfly.cli;

import io.mayfly.cluster.ClusterConfig;
import io.mayfly.cluster.ClusterMember;
import io.mayfly.cluster.ClusterStatus;
import io.mayfly.http.ClusterView;
import io.mayfly.runtime.Mayfly;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The cluster side of {@code mayfly run}: a node that joins a cluster when {@code cluster} is set.
 * Only this class names the cluster module, and {@link RunCommand} creates it only when a cluster
 * is asked for, so an embedded node loads no cluster or Hazelcast class.
 */
final class ClusterWiring implements AutoCloseable {
  private final ClusterConfig config;
  private ClusterMember member;

  private ClusterWiring(ClusterConfig config) {
    this.config = config;
  }

  /**
   * The cluster settings, checked before anything starts.
   *
   * @throws io.mayfly.runtime.InvalidConfigException naming a bad value
   */
  static ClusterWiring of(NodeSettings s) {
    var b = ClusterConfig.builder().name(s.string("cluster", "mayfly"));
    String members = s.string("members", "");
    if (!members.isBlank()) {
      b.members(Arrays.stream(members.split(",")).map(String::strip).toList());
    }
    s.value("cluster-host").ifPresent(v -> b.host(v.text()));
    s.number("cluster-port").ifPresent(n -> b.port(Math.toIntExact(n)));
    s.value("node-id").ifPresent(v -> b.nodeId(v.text()));
    s.number("cluster-backup-count").ifPresent(n -> b.backupCount(Math.toIntExact(n)));
    s.duration("cluster-failure-timeout").ifPresent(b::failureTimeout);
    s.number("cluster-minimum-size").ifPresent(n -> b.minimumSize(Math.toIntExact(n)));
    return new ClusterWiring(b.build());
  }

  /** Joins the cluster with a node built from {@code node}, and returns the node. */
  Mayfly join(Mayfly.Builder node) {
    member = ClusterMember.join(config, node);
    return member.node();
  }

  /** The readiness check: the member runs and its side of the cluster has the minimum size. */
  BooleanSupplier ready() {
    return () -> {
      try {
        return member.status().quorum();
      } catch (RuntimeException e) {
        return false; // the member has stopped
      }
    };
  }

  /** The cluster as this member sees it now, for {@code GET /v1/cluster}. */
  ClusterView view() {
    ClusterStatus status = member.status();
    return new ClusterView(
        status.name(),
        status.self(),
        status.local().address(),
        status.members().stream()
            .map(m -> new ClusterView.Member(m.nodeId(), m.address(), m.local(), m.partitions()))
            .toList(),
        status.partitionCount(),
        status.minimumSize(),
        status.actors(),
        status.replicationBacklog());
  }

  /** What the start-up message says about the cluster. */
  String describe() {
    var status = member.status();
    return "member "
        + config.nodeId()
        + " of cluster '"
        + config.name()
        + "' on "
        + config.host()
        + ":"
        + config.port()
        + ", "
        + status.members().size()
        + " member(s)";
  }

  /** Leaves the cluster (after the server closed the node). */
  @Override
  public void close() {
    if (member != null) {
      member.close();
    }
  }
}
