package io.mayfly.http;

import io.mayfly.runtime.InvalidConfigException;
import java.util.List;

/**
 * The cluster as one member sees it, as {@code GET /v1/cluster} serves it. A clustered node hands
 * the server a supplier of these ({@link MayflyHttpServer.Builder#clusterView}); the HTTP module
 * knows nothing else of the cluster.
 *
 * @param name the cluster's name
 * @param nodeId this member's node id
 * @param address this member's cluster address, {@code host:port}
 * @param members every member, this one included, oldest first
 * @param partitionCount the cluster's partitions
 * @param minimumSize the fewest members the cluster needs to work
 * @param actors actors whose state this member holds as their owner
 * @param replicationBacklog state writes of this member waiting for their backup acknowledgement
 */
public record ClusterView(
    String name,
    String nodeId,
    String address,
    List<Member> members,
    int partitionCount,
    int minimumSize,
    long actors,
    long replicationBacklog) {

  /**
   * Checks and copies the values.
   *
   * @throws InvalidConfigException naming a missing or negative value
   */
  public ClusterView {
    check(name != null && nodeId != null && address != null, "name, nodeId and address");
    check(members != null && !members.isEmpty(), "members (at least this one)");
    check(partitionCount >= 1 && minimumSize >= 1, "partitionCount and minimumSize (positive)");
    check(actors >= 0 && replicationBacklog >= 0, "actors and replicationBacklog (not negative)");
    members = List.copyOf(members);
  }

  /** Whether enough members are present for this side of the cluster to work. */
  public boolean quorum() {
    return members.size() >= minimumSize;
  }

  /**
   * One member.
   *
   * @param nodeId its node id
   * @param address its cluster address, {@code host:port}
   * @param local whether it is the member that answers
   * @param partitions the partitions it owns in the partition table as the answering member sees it
   */
  public record Member(String nodeId, String address, boolean local, int partitions) {
    /**
     * Checks the values.
     *
     * @throws InvalidConfigException naming a missing or negative value
     */
    public Member {
      check(nodeId != null && address != null, "a member's nodeId and address");
      check(partitions >= 0, "a member's partitions (not negative), was " + partitions);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new InvalidConfigException("a cluster view needs " + what);
    }
  }
}
