package io.mayfly.runtime;

import io.mayfly.runtime.spi.Placement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Nodes in one JVM joined by a forwarding placement: each actor is owned by the node a function
 * names, messages and answers travel by direct calls, and ownership can be moved (with the lost /
 * gained protocol and an epoch per node). A publication made on one node is delivered on every
 * other.
 */
final class TestCluster {
  private final Map<String, Mayfly> nodes = new ConcurrentHashMap<>();
  private final Map<String, Placement.Ownership> ownerships = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> epochs = new ConcurrentHashMap<>();
  private volatile Function<Address, String> owner;

  /** Runs after every epoch read of a node (tests move ownership mid-turn with it). */
  volatile java.util.function.BiConsumer<String, Address> onEpochRead = (n, a) -> {};

  TestCluster(Function<Address, String> owner) {
    this.owner = owner;
  }

  /** The placement of node {@code nodeId}; register the node built with it by {@link #add}. */
  Placement placement(String nodeId) {
    epochs.put(nodeId, new AtomicLong());
    return new Placement() {
      @Override
      public void start(Ownership ownership) {
        ownerships.put(nodeId, ownership);
      }

      @Override
      public boolean isLocal(Address address) {
        return owner.apply(address).equals(nodeId);
      }

      @Override
      public long epoch(Address address) {
        long epoch = epochs.get(nodeId).get();
        onEpochRead.accept(nodeId, address);
        return epoch;
      }

      @Override
      public void forward(Message message) {
        nodes.get(owner.apply(message.target())).deliver(message);
      }

      @Override
      public void confirm(Address sender, String messageId) {
        nodes.get(owner.apply(sender)).confirm(sender, messageId);
      }

      @Override
      public void forward(Answer answer) {
        Mayfly holder = nodes.get(answer.request().node());
        if (holder == null) {
          throw new UndeliverableException("no node " + answer.request().node());
        }
        holder.deliver(answer);
      }

      @Override
      public void publish(String topic, byte[] payload, Address publisher, TraceContext trace) {
        nodes.forEach(
            (id, node) -> {
              if (!id.equals(nodeId)) {
                node.deliverPublication(topic, payload, publisher, trace);
              }
            });
      }
    };
  }

  Mayfly add(String nodeId, Mayfly node) {
    nodes.put(nodeId, node);
    return node;
  }

  String ownerOf(Address a) {
    return owner.apply(a);
  }

  /** Moves the actors {@code which} accepts to node {@code to}: lost on the others, then gained. */
  void move(Predicate<Address> which, String to) {
    Function<Address, String> before = owner;
    owner = a -> which.test(a) ? to : before.apply(a);
    for (var e : ownerships.entrySet()) {
      epochs.get(e.getKey()).incrementAndGet();
      if (!e.getKey().equals(to)) {
        e.getValue().lost(which);
      }
    }
    ownerships.get(to).gained(which);
  }
}
