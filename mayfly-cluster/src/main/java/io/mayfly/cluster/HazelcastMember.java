package io.mayfly.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import com.hazelcast.topic.MessageListener;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.NodeConfig;
import io.mayfly.runtime.spi.ActorState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A member: one embedded Hazelcast instance and the Mayfly node built on its placement and store.
 *
 * <p>Hazelcast's own threads (partition, event, I/O) never run a turn. Migration and membership
 * events only wake this member's ownership thread, which reconciles the placement (and so adopts or
 * releases states); messages from other members arrive on the routing executor's thread, which only
 * queues them into the node's mailboxes. Turns run on the node's workers.
 */
final class HazelcastMember implements ClusterMember {
  private static final System.Logger LOG = System.getLogger(HazelcastMember.class.getName());

  /** Where a Hazelcast instance keeps its member (its user context). */
  static final String CONTEXT_KEY = "mayfly.member";

  /** The name of the split-brain protection rule on the state map. */
  static final String QUORUM = "mayfly.quorum";

  /** How often a member looks for another side of a split cluster to merge with. */
  static final String MERGE_DELAY_SECONDS = "10";

  private final ClusterConfig config;
  private final CompletableFuture<Mayfly> node = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Routed messages, answers and confirmations this member received but could not deliver. */
  private final java.util.concurrent.atomic.LongAdder undelivered =
      new java.util.concurrent.atomic.LongAdder();

  private final AtomicBoolean leaving = new AtomicBoolean();
  private final Object wake = new Object();
  private HazelcastInstance instance;
  private HazelcastPlacement placement;
  private HazelcastStateStore store;
  private Thread ownershipThread;
  private volatile boolean changed;

  private HazelcastMember(ClusterConfig config) {
    this.config = config;
  }

  static HazelcastMember of(HazelcastInstance instance) {
    return instance == null ? null : (HazelcastMember) instance.getUserContext().get(CONTEXT_KEY);
  }

  static ClusterMember join(ClusterConfig cluster, Mayfly.Builder builder) {
    NodeConfig settings = builder.nodeId(cluster.nodeId()).settings();
    var member = new HazelcastMember(cluster);
    Config hz = hazelcastConfig(cluster);
    hz.getUserContext().put(CONTEXT_KEY, member);
    try {
      member.instance = Hazelcast.newHazelcastInstance(hz);
    } catch (RuntimeException e) {
      throw new ClusterException(
          "member "
              + cluster.nodeId()
              + " could not join cluster '"
              + cluster.name()
              + "' on "
              + cluster.host()
              + ":"
              + cluster.port()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      member.start(builder, settings);
      return member;
    } catch (RuntimeException e) {
      member.instance.getLifecycleService().terminate();
      throw e;
    }
  }

  private void start(Mayfly.Builder builder, NodeConfig settings) {
    if (settings.meterRegistry() != null) {
      io.micrometer.core.instrument.FunctionCounter.builder(
              "mayfly.cluster.undelivered", undelivered, java.util.concurrent.atomic.LongAdder::sum)
          .description("routed messages, answers and confirmations this member could not deliver")
          .register(settings.meterRegistry());
    }
    com.hazelcast.topic.ITopic<Published> publications =
        instance.getTopic(HazelcastPlacement.PUBLICATIONS);
    placement =
        new HazelcastPlacement(
            instance.getPartitionService(),
            instance.getExecutorService(HazelcastPlacement.EXECUTOR),
            publications,
            this::memberOfNode);
    com.hazelcast.map.IMap<String, ActorState> map = instance.getMap(HazelcastStateStore.MAP);
    store =
        new HazelcastStateStore(
            map,
            settings.clock(),
            settings.stateBudgetBytes(),
            placement::owns,
            () -> instance.getCluster().getLocalMember().getUuid());
    placement.bind(store, this::receive, this::ownershipMayHaveChanged);
    instance.getPartitionService().addMigrationListener(new Migrations());
    instance.getCluster().addMembershipListener(new Membership());
    Mayfly built = builder.stateStore(store).placement(placement).build();
    var clusterNode =
        new ClusterNode(
            built, instance.getMap(ClusterNode.TYPES), instance.getMap(ClusterNode.SHARED));
    node.complete(clusterNode);
    publications.addMessageListener(new Publications());
    clusterNode.follow();
    ownershipThread =
        Thread.ofPlatform()
            .daemon()
            .name("mayfly-ownership-" + config.nodeId())
            .start(this::watchOwnership);
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    var c = new Config();
    c.setClusterName(cluster.name());
    c.setInstanceName("mayfly-" + cluster.nodeId());
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.local.localAddress", cluster.host());
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.partition.count", Integer.toString(cluster.partitionCount()));
    c.setProperty(
        "hazelcast.heartbeat.interval.seconds",
        Long.toString(cluster.heartbeatInterval().toSeconds()));
    c.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Long.toString(cluster.failureTimeout().toSeconds()));
    // Hazelcast looks for another side of a split to merge with 300 s after start and then every
    // 120 s: a healed minority would refuse every turn for minutes. Mayfly looks every 10 s unless
    // the JVM's system properties say otherwise.
    for (String merge :
        List.of(
            "hazelcast.merge.first.run.delay.seconds", "hazelcast.merge.next.run.delay.seconds")) {
      c.setProperty(merge, System.getProperty(merge, MERGE_DELAY_SECONDS));
    }
    c.getMemberAttributeConfig().setAttribute(HazelcastPlacement.NODE_ATTRIBUTE, cluster.nodeId());
    var network = c.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    var join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    if (cluster.members().isEmpty()) {
      tcp.addMember(cluster.host() + ":" + cluster.port());
    }
    cluster.members().forEach(tcp::addMember);
    var map =
        new MapConfig(HazelcastStateStore.MAP)
            .setBackupCount(cluster.backupCount())
            .setAsyncBackupCount(0)
            .setReadBackupData(false);
    if (cluster.minimumSize() > 1) {
      // Writes only: a member on the minority side still adopts states (reads) so that it can
      // answer each turn with state_not_saved instead of holding messages for ever.
      c.addSplitBrainProtectionConfig(
          new SplitBrainProtectionConfig(QUORUM, true, cluster.minimumSize())
              .setProtectOn(SplitBrainProtectionOn.WRITE));
      map.setSplitBrainProtectionName(QUORUM);
    }
    c.addMapConfig(map);
    c.getExecutorConfig(HazelcastPlacement.EXECUTOR).setPoolSize(1).setStatisticsEnabled(false);
    Codec.register(c.getSerializationConfig());
    return c;
  }

  // ---- ownership ----------------------------------------------------------------------------

  /** Reconciles the placement whenever an event says so, and every so often in case one did not. */
  private void watchOwnership() {
    while (!closed.get()) {
      try {
        placement.reconcile();
      } catch (RuntimeException e) {
        if (!closed.get() && instance.getLifecycleService().isRunning()) {
          LOG.log(System.Logger.Level.WARNING, "reconciling partition ownership failed", e);
        }
      }
      synchronized (wake) {
        if (!changed && !closed.get()) {
          try {
            wake.wait(HazelcastPlacement.RECONCILE_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
        changed = false;
      }
    }
  }

  private void ownershipMayHaveChanged() {
    synchronized (wake) {
      changed = true;
      wake.notifyAll();
    }
  }

  private final class Migrations implements MigrationListener {
    @Override
    public void migrationStarted(MigrationState state) {}

    @Override
    public void migrationFinished(MigrationState state) {
      ownershipMayHaveChanged();
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
      if (event.getReplicaIndex() == 0) {
        ownershipMayHaveChanged();
      }
    }

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) {
      ownershipMayHaveChanged();
    }
  }

  private final class Membership implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      ownershipMayHaveChanged();
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      ownershipMayHaveChanged();
    }
  }

  // ---- routing ------------------------------------------------------------------------------

  private Member memberOfNode(String nodeId) {
    for (Member m : instance.getCluster().getMembers()) {
      if (nodeId.equals(m.getAttribute(HazelcastPlacement.NODE_ATTRIBUTE))) {
        return m;
      }
    }
    return null;
  }

  /** The node, once built; a message that arrives while it is being built waits for it. */
  private Mayfly awaitNode() {
    try {
      return node.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while member " + config.nodeId() + " started", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ClusterException("member " + config.nodeId() + " has no node to deliver to", e);
    }
  }

  /** Counts a routed task this member received but could not deliver (it is logged). */
  void undelivered() {
    undelivered.increment();
  }

  /** Routed tasks this member could not deliver. */
  long undeliveredCount() {
    return undelivered.sum();
  }

  void receive(Message message) {
    awaitNode().deliver(message);
  }

  void receive(Answer answer) {
    awaitNode().deliver(answer);
  }

  void confirm(Address sender, String messageId) {
    awaitNode().confirm(sender, messageId);
  }

  /**
   * Hands the publications other members made to this member's node, on Hazelcast's event thread
   * for the topic (one, so a member's publications arrive in the order it made them); the node only
   * calls its outside listeners and queues the publications for its subscribed actors.
   */
  private final class Publications implements MessageListener<Published> {
    @Override
    public void onMessage(com.hazelcast.topic.Message<Published> message) {
      Member from = message.getPublishingMember();
      if (from != null && from.localMember()) {
        return; // delivered here as it was made
      }
      Published p = message.getMessageObject();
      awaitNode().deliverPublication(p.topic(), p.payload(), p.publisher(), p.trace());
    }
  }

  /**
   * Whether the cluster is at rest as this member sees it: no migration in flight, every backup in
   * sync, and its placement in line with Hazelcast's partition table.
   */
  boolean settled() {
    return instance.getPartitionService().isClusterSafe() && placement.agreesWithHazelcast();
  }

  /** Whether this member has been closed or crashed. */
  boolean closed() {
    return closed.get();
  }

  /** Whether this member owns {@code address} now, as its placement sees it. */
  boolean owns(io.mayfly.runtime.Address address) {
    return placement.isLocal(address);
  }

  // ---- the member ---------------------------------------------------------------------------

  @Override
  public Mayfly node() {
    return node.join();
  }

  @Override
  public ClusterConfig config() {
    return config;
  }

  @Override
  public ClusterStatus status() {
    List<ClusterStatus.Member> members = new ArrayList<>();
    var partitions = placement.partitionsByMember();
    for (Member m : instance.getCluster().getMembers()) {
      members.add(
          new ClusterStatus.Member(
              String.valueOf(m.getAttribute(HazelcastPlacement.NODE_ATTRIBUTE)),
              m.getAddress().getHost() + ":" + m.getAddress().getPort(),
              m.localMember(),
              partitions.getOrDefault(m, 0)));
    }
    return new ClusterStatus(
        config.name(),
        config.nodeId(),
        List.copyOf(members),
        placement.partitionCount(),
        config.minimumSize(),
        placement.partitionsOwned(),
        store.actorCount(),
        store.backlog());
  }

  /**
   * Leaves the cluster without losing a message: hands every partition over first ({@link
   * #handOver}), then closes the node and the Hazelcast instance.
   */
  @Override
  public void close() {
    if (closed.get() || !leaving.compareAndSet(false, true)) {
      return;
    }
    try {
      handOver();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "member " + config.nodeId() + " could not hand everything over before leaving",
          e);
    }
    if (!closed.compareAndSet(false, true)) {
      return; // crashed meanwhile
    }
    node.join().close();
    ownershipMayHaveChanged();
    instance.shutdown();
    store.close();
  }

  /** Whether its Hazelcast instance still runs (a crash stops it first, then the node). */
  boolean running() {
    return instance != null && instance.getLifecycleService().isRunning();
  }

  /**
   * The graceful part of leaving. This member stops starting turns ({@link
   * HazelcastPlacement#leave}): every message for its actors (queued or arriving) is held, and the
   * turns already running finish and commit as usual. Once they have, Hazelcast moves the
   * partitions to the other members as it does on shutdown, their new owners adopt the states from
   * the replicated map, and the held messages follow them there. It returns once no message is
   * held, queued or unconfirmed here and no turn's outputs wait for their backup; each wait is
   * bounded by the node's drain timeout (the migration by Hazelcast's graceful shutdown limit). The
   * last member of a cluster has nobody to hand over to and skips all this.
   */
  private void handOver() {
    if (instance.getCluster().getMembers().size() < 2) {
      return; // the last member: nobody to hand over to, its node drains as it closes
    }
    long started = System.nanoTime();
    placement.leave();
    Mayfly local = node.join();
    long drain = local.config().drainTimeout().toNanos();
    if (!await(() -> local.stats().activeActors() == 0, drain)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "member " + config.nodeId() + ": turns still running after the drain timeout");
    }
    var hazelcast = ((com.hazelcast.instance.impl.HazelcastInstanceProxy) instance).getOriginal();
    // Bounded by the node's drain timeout as well as Hazelcast's limit (10 minutes): with a member
    // that died and is not yet declared dead, the partitions may not move at all.
    long migration =
        Math.min(
            hazelcast.node.getProperties().getMillis(ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT),
            TimeUnit.NANOSECONDS.toMillis(drain));
    // Hazelcast's own first step of a graceful shutdown, taken apart from the rest so that this
    // member still routes while its partitions move away (Hazelcast CE has no public call for
    // this): each call asks the master again and waits up to 100 ms. Hazelcast heeds the
    // master's answer only once the member shuts down, so the partition table tells when it is
    // done.
    var partitionService = hazelcast.node.partitionService;
    if (!await(
        () -> {
          if (placement.partitionsByMember().keySet().stream().noneMatch(Member::localMember)) {
            return true;
          }
          partitionService.onShutdown(100, TimeUnit.MILLISECONDS);
          return false;
        },
        TimeUnit.MILLISECONDS.toNanos(migration))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "member " + config.nodeId() + ": the partitions did not all move away in time");
    }
    // What the master's answer would have done had the member been shutting down already: the
    // shutdown that follows does not wait for the partitions a second time.
    partitionService.onShutdownResponse();
    var routing = hazelcast.node.getNodeEngine().getExecutionService();
    boolean done =
        await(
            () -> {
              // Whatever the routing executor took in before now has been handed to the node.
              var barrier = new CompletableFuture<Void>();
              routing.execute(HazelcastPlacement.EXECUTOR, () -> barrier.complete(null));
              barrier.get(drain, TimeUnit.NANOSECONDS);
              ownershipMayHaveChanged(); // held messages go at the next reconciliation
              return !placement.holding()
                  && placement.partitionsOwned() == 0
                  && local.stats().activeActors() == 0
                  && store.backlog() == 0;
            },
            drain);
    if (!done) {
      LOG.log(
          System.Logger.Level.WARNING,
          "member "
              + config.nodeId()
              + " leaves with messages not handed over after its drain timeout");
    } else {
      LOG.log(
          System.Logger.Level.INFO,
          () ->
              "member "
                  + config.nodeId()
                  + " handed its partitions and messages over in "
                  + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                  + " ms");
    }
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code timeoutNanos} pass. */
  private static boolean await(
      java.util.concurrent.Callable<Boolean> condition, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    do {
      try {
        if (condition.call()) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    } while (System.nanoTime() - deadline < 0);
    return false;
  }

  /**
   * Stops at once, as a crash would: no draining, no hand-over; the others find out when the
   * connections drop or the failure timeout passes. For tests of failover.
   */
  void crash() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    instance.getLifecycleService().terminate();
    ownershipMayHaveChanged();
    node.join().close();
    store.close();
  }
}
