package io.mayfly.cluster;

import java.util.List;

/**
 * The cluster as one member sees it.
 *
 * @param name the cluster's name
 * @param self this member's node id
 * @param members every member, this one included, oldest first
 * @param partitionCount the cluster's partitions ({@link ClusterConfig#partitionCount()})
 * @param minimumSize the fewest members the cluster needs to work ({@link
 *     ClusterConfig#minimumSize()})
 * @param partitionsOwned the partitions this member owns and serves (its own table, which follows
 *     Hazelcast's partition table on every migration)
 * @param actors actors whose state this member holds as their owner
 * @param replicationBacklog commits of this member whose backups are not yet acknowledged
 */
public record ClusterStatus(
    String name,
    String self,
    List<Member> members,
    int partitionCount,
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
   * @param partitions the partitions it owns in Hazelcast's partition table as this member sees it
   *     (while a migration is in flight, they may not yet sum to the partition count)
   */
  public record Member(String nodeId, String address, boolean local, int partitions) {}

  /** This member among {@link #members()}. */
  public Member local() {
    return members.stream().filter(Member::local).findFirst().orElseThrow();
  }
}
