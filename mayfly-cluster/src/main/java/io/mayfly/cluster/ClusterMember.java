package io.mayfly.cluster;

import io.mayfly.runtime.Mayfly;

/**
 * A Mayfly node that is a member of a cluster on Hazelcast: each actor runs on the member that owns
 * its partition, messages and answers reach it from any member, and its committed state is kept on
 * backups so that it survives its member's loss. Thread-safe; close it to leave the cluster.
 *
 * <pre>{@code
 * ClusterConfig cluster = ClusterConfig.builder().name("plant").port(5701)
 *     .member("10.0.0.2:5701").member("10.0.0.3:5701").build();
 * try (ClusterMember member = ClusterMember.join(cluster, Mayfly.builder())) {
 *   member.node().deploy("sensor", module);
 * }
 * }</pre>
 */
public interface ClusterMember extends AutoCloseable {
  /**
   * Starts a Hazelcast member with {@code cluster}'s settings, joins the cluster, and builds the
   * node from {@code node} with the cluster's placement, its replicated state store and the
   * member's node id (which replace those of the builder). Returns once the member has joined.
   *
   * @throws ClusterException if the member cannot start or join
   * @throws io.mayfly.runtime.InvalidConfigException if a node setting is bad
   */
  static ClusterMember join(ClusterConfig cluster, Mayfly.Builder node) {
    return HazelcastMember.join(cluster, node);
  }

  /**
   * This member's node: deploy, tell, ask and inspect through it as on an embedded node. Deploys,
   * undeploys and shared data made through it apply to every member of the cluster.
   */
  Mayfly node();

  /** The cluster as this member sees it now. */
  ClusterStatus status();

  /** The settings this member joined with. */
  ClusterConfig config();

  /**
   * Leaves the cluster: closes the node (draining what is queued), then hands this member's
   * partitions and their backups to the others before it stops.
   */
  @Override
  void close();
}
