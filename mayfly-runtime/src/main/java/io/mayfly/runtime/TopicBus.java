package io.mayfly.runtime;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Who hears a publication: actor types (declared at deploy, routed to an id built from the topic),
 * single actors (subscribed through the ABI) and listeners outside the actor system.
 */
final class TopicBus {
  private static final System.Logger LOG = System.getLogger(TopicBus.class.getName());
  private final Map<String, List<TypeSubscription>> byType = new ConcurrentHashMap<>();
  private final Map<String, Set<Address>> byFilter = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<External> external = new CopyOnWriteArrayList<>();

  private final class External implements Subscription {
    private final String filter;
    private final TopicListener listener;
    private final boolean clusterWide;

    External(String filter, TopicListener listener) {
      this.filter = filter;
      this.listener = listener;
      this.clusterWide = listener.clusterWide();
    }

    @Override
    public String filter() {
      return filter;
    }

    @Override
    public void close() {
      external.remove(this);
    }
  }

  void setTypeSubscriptions(String type, List<TypeSubscription> subscriptions) {
    if (subscriptions.isEmpty()) {
      byType.remove(type);
    } else {
      byType.put(type, List.copyOf(subscriptions));
    }
  }

  void removeType(String type) {
    byType.remove(type);
    byFilter.values().forEach(s -> s.removeIf(a -> a.type().equals(type)));
  }

  void subscribe(Address actor, String filter) {
    byFilter.computeIfAbsent(filter, f -> ConcurrentHashMap.newKeySet()).add(actor);
  }

  void unsubscribe(Address actor, String filter) {
    byFilter.computeIfPresent(
        filter,
        (f, set) -> {
          set.remove(actor);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Forgets the subscriptions of every actor {@code which} accepts (they moved to another node).
   */
  void unsubscribeIf(Predicate<Address> which) {
    byFilter.values().forEach(s -> s.removeIf(which));
    byFilter.values().removeIf(Set::isEmpty);
  }

  Subscription listen(String filter, TopicListener listener) {
    var sub = new External(Topics.checkFilter(filter), listener);
    external.add(sub);
    return sub;
  }

  /**
   * Calls the outside listeners whose filter matches the topic; for a publication made on another
   * node ({@code elsewhere}), only the {@linkplain TopicListener#clusterWide cluster-wide} ones.
   */
  void notifyListeners(
      String topic, byte[] payload, Address publisher, TraceContext trace, boolean elsewhere) {
    for (External e : external) {
      if ((e.clusterWide || !elsewhere) && Topics.match(e.filter, topic) != null) {
        try {
          e.listener.onPublication(topic, payload, publisher, trace);
        } catch (RuntimeException failure) {
          // A listener's bug must not undo a committed turn or stop the worker; it is logged.
          LOG.log(
              System.Logger.Level.WARNING, "topic listener for " + e.filter + " failed", failure);
        }
      }
    }
  }

  /**
   * The actors that should receive a publication, each once: with {@code withTypes}, the actors the
   * type subscriptions name; and the subscribed actors that {@code here} accepts, unless a type
   * subscription names them (on this node or another, which routes the publication to them).
   */
  Set<Address> targets(String topic, boolean withTypes, Predicate<Address> here) {
    var typed = new LinkedHashSet<Address>();
    for (var entry : byType.entrySet()) {
      for (TypeSubscription s : entry.getValue()) {
        List<String> captures = Topics.match(s.filter(), topic);
        if (captures != null) {
          try {
            typed.add(Address.of(entry.getKey(), Topics.expand(s.idTemplate(), captures)));
          } catch (InvalidAddressException e) {
            // The topic does not make a valid id for this type: nobody to deliver to.
          }
        }
      }
    }
    var targets = withTypes ? typed : new LinkedHashSet<Address>();
    for (var entry : byFilter.entrySet()) {
      if (Topics.match(entry.getKey(), topic) != null) {
        for (Address a : entry.getValue()) {
          if (!typed.contains(a) && here.test(a)) {
            targets.add(a);
          }
        }
      }
    }
    return targets;
  }
}
