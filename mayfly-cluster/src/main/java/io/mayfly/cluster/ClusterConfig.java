package io.mayfly.cluster;

import io.mayfly.runtime.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a member joins its cluster; built by {@link #builder()}, whose {@link Builder#build()}
 * rejects bad values naming them. Defaults and their reasons are in docs/configuration.md
 * ("Cluster").
 *
 * @param name the cluster's name: members join only a cluster of the same name
 * @param host the address this member binds to and announces (default {@code 127.0.0.1})
 * @param port the port members reach this one on (default 5701)
 * @param members the {@code host:port} of the other members to join through (TCP/IP join; may
 *     include this member); empty to start a cluster alone
 * @param nodeId the id of this member's node, unique within the cluster (default {@code host-port})
 * @param backupCount synchronous backups of each actor's state (default 1): a turn's outputs leave
 *     once this many other members hold its state
 * @param heartbeatInterval how often members tell each other they are alive (default 1 s)
 * @param failureTimeout how long a member may stay silent before the others declare it dead and
 *     take over its actors (default 5 s)
 * @param minimumSize the fewest members a side of a split needs to keep working (default 1: no
 *     split-brain protection); a smaller side refuses commits with {@link ClusterException}
 * @param partitionCount how many partitions the actors are spread over (default 271); the same on
 *     every member
 */
public record ClusterConfig(
    String name,
    String host,
    int port,
    List<String> members,
    String nodeId,
    int backupCount,
    Duration heartbeatInterval,
    Duration failureTimeout,
    int minimumSize,
    int partitionCount) {

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ClusterConfig}; {@link #build()} takes a snapshot and checks it. */
  public static final class Builder {
    private String name = "mayfly";
    private String host = "127.0.0.1";
    private int port = 5701;
    private final List<String> members = new ArrayList<>();
    private String nodeId;
    private int backupCount = 1;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration failureTimeout = Duration.ofSeconds(5);
    private int minimumSize = 1;
    private int partitionCount = 271;

    private Builder() {}

    /** The cluster's name (1-64 characters of {@code [A-Za-z0-9_.-]}, default {@code mayfly}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The address this member binds to and announces (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port the other members reach this one on (default 5701). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds members to join through, each {@code host:port}. */
    public Builder members(List<String> members) {
      this.members.addAll(members);
      return this;
    }

    /** Adds a member to join through, {@code host:port}. */
    public Builder member(String member) {
      this.members.add(member);
      return this;
    }

    /** This member's node id (default {@code host-port}). */
    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    /** Synchronous backups of each actor's state, 0-6 (default 1). */
    public Builder backupCount(int count) {
      this.backupCount = count;
      return this;
    }

    /** How often members send heartbeats, whole seconds (default 1 s). */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * How long a silent member is still taken for alive, whole seconds, at least twice the
     * heartbeat interval (default 5 s). Shorter means faster failover and more false alarms under
     * long GC pauses or a loaded network.
     */
    public Builder failureTimeout(Duration timeout) {
      this.failureTimeout = timeout;
      return this;
    }

    /** The fewest members a side of a split needs to keep working (default 1: no protection). */
    public Builder minimumSize(int size) {
      this.minimumSize = size;
      return this;
    }

    /**
     * How many partitions the actors are spread over (default 271, 1-10 000); every member of a
     * cluster must use the same. More partitions spread actors more evenly over many members; fewer
     * make hand-overs and cluster-wide listings cheaper.
     */
    public Builder partitionCount(int count) {
      this.partitionCount = count;
      return this;
    }

    /**
     * The settings as they are now.
     *
     * @throws InvalidConfigException naming the first bad value
     */
    public ClusterConfig build() {
      check(
          name != null && name.matches("[A-Za-z0-9_.-]{1,64}"),
          "cluster name must be 1-64 characters of [A-Za-z0-9_.-], was " + name);
      check(host != null && !host.isBlank(), "cluster host is required");
      check(port >= 1 && port <= 65535, "cluster port must be in 1..65535, was " + port);
      for (String m : members) {
        checkMember(m);
      }
      String id = nodeId != null ? nodeId : host + "-" + port;
      check(
          id.matches("[A-Za-z0-9_.-]{1,32}"),
          "node id must be 1-32 characters of [A-Za-z0-9_.-], was "
              + id
              + (nodeId == null ? " (from host and port): set one" : ""));
      check(
          backupCount >= 0 && backupCount <= 6, "backupCount must be in 0..6, was " + backupCount);
      wholeSeconds("heartbeatInterval", heartbeatInterval);
      wholeSeconds("failureTimeout", failureTimeout);
      check(
          failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) >= 0,
          "failureTimeout must be at least twice heartbeatInterval ("
              + heartbeatInterval.toSeconds()
              + " s), was "
              + failureTimeout.toSeconds()
              + " s");
      check(minimumSize >= 1, "minimumSize must be at least 1, was " + minimumSize);
      check(
          partitionCount >= 1 && partitionCount <= 10_000,
          "partitionCount must be in 1..10000, was " + partitionCount);
      return new ClusterConfig(
          name,
          host,
          port,
          List.copyOf(members),
          id,
          backupCount,
          heartbeatInterval,
          failureTimeout,
          minimumSize,
          partitionCount);
    }

    private static void checkMember(String m) {
      int colon = m == null ? -1 : m.lastIndexOf(':');
      boolean ok = colon > 0;
      if (ok) {
        try {
          int p = Integer.parseInt(m.substring(colon + 1));
          ok = p >= 1 && p <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      check(ok, "cluster member must be host:port with a port in 1..65535, was " + m);
    }

    private static void wholeSeconds(String name, Duration d) {
      check(
          d != null && d.toSeconds() >= 1 && d.toMillis() % 1000 == 0,
          name + " must be a whole number of seconds, at least 1, was " + d);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidConfigException(message);
      }
    }
  }
}
