package io.mayfly.cluster;

import java.util.List;

/**
 * The cluster as one member sees it.
 *
 * @param name the cluster's name
 * @param self this member's node id
 * @param members every member, this one included, oldest first
 * @param minimumSize the fewest members the cluster needs to work ({@link
 *     ClusterConfig#minimumSize()})
 * @param partitionsOwned the partitions this member owns
 * @param actors actors whose state this member holds as their owner
 * @param replicationBacklog commits of this member whose backups are not yet acknowledged
 */
public record ClusterStatus(
    String name,
    String self,
    List<Member> members,
    int minimumSize,
    int partitionsOwned,
    long actors,
    long replicationBacklog) {

  /** Whether enough members are present for this side of the cluster to work. */
  public boolean quorum() {
    return members.size() >= minimumSize;
  }

  /**
   * One member.
   *
   * @param nodeId its node id
   * @param address its {@code host:port}
   * @param local whether it is this member
   */
  public record Member(String nodeId, String address, boolean local) {}
}
