package io.mayfly.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.topic.ITopic;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.UndeliverableException;
import io.mayfly.runtime.spi.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Places each actor on the member that owns the Hazelcast partition of its key ({@code type/id}),
 * and carries messages and answers between members on a Hazelcast executor.
 *
 * <p><b>Ownership as this member sees it.</b> {@link #isLocal} and {@link #epoch} read this class's
 * own table of owned partitions, not Hazelcast's live one, so that the two change together: {@link
 * #reconcile} compares the table with Hazelcast's partition owners (on every migration and
 * membership event, and every {@value #RECONCILE_MILLIS} ms in case an event was missed) and, for
 * each partition that changed hands, moves its epoch and tells the node:
 *
 * <ul>
 *   <li><b>lost</b>: the partition stops being local and its epoch moves (a turn in flight is
 *       discarded at commit and its message handed on; queued messages are handed on as their turn
 *       comes), the node forgets its actors' subscriptions, the store releases their states;
 *   <li><b>gained</b>: the store adopts the partition's states from the replicated map, the
 *       partition becomes local with a new epoch, and the node re-arms its actors' timers and
 *       subscriptions from their states.
 * </ul>
 *
 * <p>A message for a partition that Hazelcast already gives this member, but the table does not
 * yet, is held (sending it to the key's owner would only bring it back) and delivered after the
 * next reconciliation, which the hold asks for at once.
 *
 * <p><b>Routing.</b> A message goes with {@link IExecutorService#submitToKeyOwner}: Hazelcast sends
 * it to the owner of the key's partition and retries on the new owner if that member leaves
 * meanwhile. The executor has one thread per member, so messages from one member to one actor keep
 * their order. An answer goes with {@link IExecutorService#submitToMember} to the member whose node
 * id is the request's node. Each is counted until its receiver confirms it took it, so that a
 * leaving member knows when all it sent on has arrived; one that fails is logged.
 *
 * <p><b>Publications</b> go to the other members on the Hazelcast topic {@value #PUBLICATIONS},
 * which delivers one member's messages to each other member in the order sent.
 *
 * <p><b>Leaving.</b> Once {@link #leave} is called, no actor is local any more: messages are held
 * until their partition has moved to another member, then sent there.
 */
final class HazelcastPlacement implements Placement {
  private static final System.Logger LOG = System.getLogger(HazelcastPlacement.class.getName());

  /** The name of the members' routing executor. */
  static final String EXECUTOR = "mayfly.route";

  /** The cluster topic on which a member sends its publications to the others. */
  static final String PUBLICATIONS = "mayfly.publications";

  /** The member attribute that holds a member's node id. */
  static final String NODE_ATTRIBUTE = "mayfly.node";

  static final long RECONCILE_MILLIS = 200;

  private final PartitionService partitions;
  private final IExecutorService executor;
  private final ITopic<Published> publications;
  private final Function<String, Member> memberOfNode;
  private final int count;

  /** Hazelcast's partitions by id; each reads its owner from the live partition table. */
  private final com.hazelcast.partition.Partition[] byId;

  /** 1 where this member owns the partition. */
  private final AtomicIntegerArray owned;

  /** 1 where this member is adopting the partition: its messages are held meanwhile. */
  private final AtomicIntegerArray adopting;

  private final AtomicLongArray epochs;
  private final List<Message> held = new ArrayList<>();

  /** Messages and answers sent to other members whose arrival there is not confirmed yet. */
  private final java.util.concurrent.atomic.AtomicInteger unconfirmed =
      new java.util.concurrent.atomic.AtomicInteger();

  private HazelcastStateStore store;
  private Ownership ownership;
  private Consumer<Message> deliver;
  private Runnable wake = () -> {};

  /** Set when the member starts to leave: from then on it owns no partition. */
  private volatile boolean leaving;

  HazelcastPlacement(
      PartitionService partitions,
      IExecutorService executor,
      ITopic<Published> publications,
      Function<String, Member> nodes) {
    this.partitions = partitions;
    this.executor = executor;
    this.publications = publications;
    this.memberOfNode = nodes;
    this.count = partitions.getPartitions().size();
    this.byId = new com.hazelcast.partition.Partition[count];
    for (var partition : partitions.getPartitions()) {
      byId[partition.getPartitionId()] = partition;
    }
    this.owned = new AtomicIntegerArray(count);
    this.adopting = new AtomicIntegerArray(count);
    this.epochs = new AtomicLongArray(count);
  }

  /**
   * Binds the store whose states follow the partitions, where held messages go, and what makes the
   * member reconcile soon.
   */
  void bind(HazelcastStateStore store, Consumer<Message> deliver, Runnable wake) {
    this.store = store;
    this.deliver = deliver;
    this.wake = wake;
  }

  int partition(Address address) {
    return partitions.getPartition(address.toString()).getPartitionId();
  }

  /** Whether this member's table agrees with Hazelcast's partition owners now. */
  boolean agreesWithHazelcast() {
    for (int p = 0; p < count; p++) {
      Member owner = ownerOf(p);
      if ((owner != null && owner.localMember()) != (owned.get(p) == 1)) {
        return false;
      }
    }
    return true;
  }

  /** How many partitions this member owns. */
  int partitionsOwned() {
    int n = 0;
    for (int p = 0; p < count; p++) {
      n += owned.get(p);
    }
    return n;
  }

  /** How many partitions each member owns in Hazelcast's partition table now. */
  java.util.Map<Member, Integer> partitionsByMember() {
    var counts = new java.util.HashMap<Member, Integer>();
    for (int p = 0; p < count; p++) {
      Member owner = ownerOf(p);
      if (owner != null) {
        counts.merge(owner, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The number of partitions. */
  int partitionCount() {
    return count;
  }

  @Override
  public void start(Ownership ownership) {
    this.ownership = ownership;
    reconcile();
  }

  /** Whether this member runs {@code address} now: it owns its partition and is not leaving. */
  @Override
  public boolean isLocal(Address address) {
    return !leaving && owned.get(partition(address)) == 1;
  }

  /**
   * Whether this member's table gives it {@code address}'s partition (also while it leaves, until
   * the partition has moved): the store keeps and writes the states of these actors.
   */
  boolean owns(Address address) {
    return owned.get(partition(address)) == 1;
  }

  @Override
  public long epoch(Address address) {
    return epochs.get(partition(address));
  }

  @Override
  public void forward(Message message) {
    var partition = partitions.getPartition(message.target().toString());
    int p = partition.getPartitionId();
    if (owned.get(p) == 1 && !leaving) {
      deliver.accept(message); // gained since the caller looked
      return;
    }
    Member owner = partition.getOwner();
    if (adopting.get(p) == 1 || owned.get(p) == 1 || (owner != null && owner.localMember())) {
      // Hazelcast has made this member the owner and the table is about to follow: sending the
      // message to the key's owner would only bring it back here.
      synchronized (held) {
        held.add(message);
      }
      if (!leaving) {
        wake.run(); // a leaving member's held messages go as their partitions move
      }
      return;
    }
    try {
      executor.submitToKeyOwner(Routed.of(message), message.target().toString(), sending());
    } catch (RuntimeException e) {
      throw new UndeliverableException(
          "the owner of " + message.target() + " cannot be reached: " + e.getMessage());
    }
  }

  @Override
  public void forward(Answer answer) {
    Member member = memberOfNode.apply(answer.request().node());
    if (member == null) {
      throw new UndeliverableException(
          "no member of the cluster is node '"
              + answer.request().node()
              + "' (it left), which held request "
              + answer.request());
    }
    try {
      executor.submitToMember(Routed.of(answer), member, sending());
    } catch (RuntimeException e) {
      throw new UndeliverableException(
          "node '" + answer.request().node() + "' cannot be reached: " + e.getMessage());
    }
  }

  @Override
  public void publish(String topic, byte[] payload, Address publisher, TraceContext trace) {
    try {
      publications.publish(new Published(topic, payload, publisher, trace));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the publication on "
              + topic
              + " did not reach the other members (their listeners and subscribed actors miss it): "
              + e.getMessage());
    }
  }

  /** Counts a message or answer on its way until its receiver has taken it (or it failed). */
  private ExecutionCallback<Object> sending() {
    unconfirmed.incrementAndGet();
    return new ExecutionCallback<>() {
      @Override
      public void onResponse(Object response) {
        unconfirmed.decrementAndGet();
      }

      @Override
      public void onFailure(Throwable t) {
        unconfirmed.decrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "a routed message was lost: " + t.getMessage());
      }
    };
  }

  /**
   * Starts this member's graceful leave: from now on it starts no turn ({@link #isLocal} is false
   * for every actor). Queued messages are held as their turn comes, and arriving messages are held
   * at once; each goes to its partition's new owner once Hazelcast has moved the partition there
   * and the table followed ({@link #holding}). The table itself keeps following Hazelcast, so turns
   * already running commit as usual until their partition moves.
   */
  void leave() {
    leaving = true;
  }

  /**
   * Whether messages wait here for their partition to move to its new owner, or are on their way to
   * another member that has not taken them yet.
   */
  boolean holding() {
    synchronized (held) {
      return !held.isEmpty() || unconfirmed.get() > 0;
    }
  }

  /**
   * Sends the confirmation to the sender's owner like a message to the sender: on the routing
   * executor, so that it follows the messages that member sent before it.
   */
  @Override
  public void confirm(Address sender, String messageId) {
    try {
      executor.executeOnKeyOwner(Routed.confirmation(sender, messageId), sender.toString());
    } catch (RuntimeException e) {
      throw new UndeliverableException(
          "the owner of " + sender + " cannot be reached: " + e.getMessage());
    }
  }

  /**
   * Brings this member's table of owned partitions in line with Hazelcast's, telling the node and
   * the store about each change. Runs on one thread at a time.
   */
  synchronized void reconcile() {
    if (ownership == null) {
      return;
    }
    var lost = new java.util.BitSet(count);
    var gained = new java.util.BitSet(count);
    for (int p = 0; p < count; p++) {
      Member owner = ownerOf(p);
      boolean mine = owner != null && owner.localMember();
      if (mine && owned.get(p) == 0) {
        gained.set(p);
      } else if (!mine && owned.get(p) == 1) {
        lost.set(p);
      }
    }
    if (!lost.isEmpty()) {
      for (int p = lost.nextSetBit(0); p >= 0; p = lost.nextSetBit(p + 1)) {
        owned.set(p, 0);
        epochs.incrementAndGet(p);
      }
      ownership.lost(a -> lost.get(partition(a)));
      store.release(a -> lost.get(partition(a)));
      LOG.log(System.Logger.Level.INFO, () -> "lost " + lost.cardinality() + " partitions");
    }
    if (!gained.isEmpty()) {
      gain(gained);
    }
    releaseHeld();
  }

  /**
   * Delivers the messages held while their partition was changing hands: each is routed again by
   * the table as it is now, and held again if its partition is still on its way here.
   */
  private void releaseHeld() {
    List<Message> release;
    synchronized (held) {
      if (held.isEmpty()) {
        return;
      }
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(deliver);
  }

  private Member ownerOf(int p) {
    return byId[p].getOwner();
  }

  private void gain(java.util.BitSet gained) {
    for (int p = gained.nextSetBit(0); p >= 0; p = gained.nextSetBit(p + 1)) {
      adopting.set(p, 1);
    }
    int adopted = store.adopt(a -> gained.get(partition(a)));
    for (int p = gained.nextSetBit(0); p >= 0; p = gained.nextSetBit(p + 1)) {
      epochs.incrementAndGet(p);
      owned.set(p, 1);
      adopting.set(p, 0);
    }
    ownership.gained(a -> gained.get(partition(a)));
    LOG.log(
        System.Logger.Level.INFO,
        () -> "gained " + gained.cardinality() + " partitions with " + adopted + " actors");
  }
}
