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

    External(String filter, TopicListener listener) {
      this.filter = filter;
      this.listener = listener;
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
   * Calls matching outside listeners and returns the actors that should receive the publication,
   * each once.
   */
  Set<Address> publish(String topic, byte[] payload, Address publisher, TraceContext trace) {
    for (External e : external) {
      if (Topics.match(e.filter, topic) != null) {
        try {
          e.listener.onPublication(topic, payload, publisher, trace);
        } catch (RuntimeException failure) {
          // A listener's bug must not undo a committed turn or stop the worker; it is logged.
          LOG.log(
              System.Logger.Level.WARNING, "topic listener for " + e.filter + " failed", failure);
        }
      }
    }
    var targets = new LinkedHashSet<Address>();
    for (var entry : byType.entrySet()) {
      for (TypeSubscription s : entry.getValue()) {
        List<String> captures = Topics.match(s.filter(), topic);
        if (captures != null) {
          try {
            targets.add(Address.of(entry.getKey(), Topics.expand(s.idTemplate(), captures)));
          } catch (InvalidAddressException e) {
            // The topic does not make a valid id for this type: nobody to deliver to.
          }
        }
      }
    }
    for (var entry : byFilter.entrySet()) {
      if (Topics.match(entry.getKey(), topic) != null) {
        targets.addAll(entry.getValue());
      }
    }
    return targets;
  }
}
