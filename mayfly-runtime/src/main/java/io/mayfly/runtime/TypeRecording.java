package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorder's part for one actor type, kept across redeploys: whether it records, and the turns
 * it kept. The turn runner reads {@link #active} once per turn (one volatile read); only a turn of
 * a recorded actor, or a failed turn, builds a record and takes this object's lock.
 *
 * <p>Two queues share the type's byte bound: turns recorded while recording was on ({@link
 * NodeConfig#recordTurns()} at most) and failed turns kept while it was off ({@link
 * NodeConfig#recordFailedTurns()} at most). Over the byte bound the oldest recorded turn goes
 * first, then the oldest failed one.
 */
final class TypeRecording {
  /** Estimated bytes of a record and its message, lists and answers, beyond payloads. */
  static final int RECORD_OVERHEAD = 320;

  static final int EFFECT_OVERHEAD = 48;

  /** Whether some actor of the type is recorded: the turn runner's one read per turn. */
  volatile boolean active;

  private volatile boolean wholeType;
  private final Set<Address> actors = ConcurrentHashMap.newKeySet();
  private final String type;
  private final int maxTurns;
  private final int maxFailed;
  private final long maxBytes;

  private record Kept(long seq, TurnRecord record, int bytes) {}

  private final ArrayDeque<Kept> recorded = new ArrayDeque<>();
  private final ArrayDeque<Kept> failed = new ArrayDeque<>();
  private final Map<String, byte[]> modules = new HashMap<>();
  private long seq;
  private long bytes;
  private long dropped;

  TypeRecording(String type, NodeConfig config) {
    this.type = type;
    this.maxTurns = config.recordTurns();
    this.maxFailed = config.recordFailedTurns();
    this.maxBytes = config.recordBytes();
  }

  String type() {
    return type;
  }

  synchronized void startType() {
    wholeType = true;
    active = true;
  }

  synchronized void startActor(Address actor) {
    actors.add(actor);
    active = true;
  }

  synchronized void stopType() {
    wholeType = false;
    actors.clear();
    active = false;
  }

  synchronized void stopActor(Address actor) {
    actors.remove(actor);
    active = wholeType || !actors.isEmpty();
  }

  boolean wants(Address actor) {
    return wholeType || (!actors.isEmpty() && actors.contains(actor));
  }

  /**
   * Keeps a turn if its actor is recorded, or if it failed. {@code module} is the bytes of the
   * version it ran, kept while a kept turn refers to it.
   */
  void offer(TurnRecord record, byte[] module) {
    boolean wanted = active && wants(record.address());
    if (!wanted && (record.committed() || maxFailed == 0)) {
      return;
    }
    int size = estimate(record);
    synchronized (this) {
      if (size > maxBytes) {
        dropped++;
        return;
      }
      ArrayDeque<Kept> queue = wanted ? recorded : failed;
      queue.addLast(new Kept(seq++, record, size));
      bytes += size;
      modules.putIfAbsent(record.type().module().sha256(), module);
      boolean evicted = false;
      while (queue.size() > (wanted ? maxTurns : maxFailed)) {
        evict(queue);
        evicted = true;
      }
      while (bytes > maxBytes) {
        evict(recorded.isEmpty() ? failed : recorded);
        evicted = true;
      }
      if (evicted) {
        forgetUnusedModules();
      }
    }
  }

  private void evict(ArrayDeque<Kept> queue) {
    Kept k = queue.removeFirst();
    bytes -= k.bytes;
    dropped++;
  }

  private void forgetUnusedModules() {
    if (modules.size() < 2) {
      if (recorded.isEmpty() && failed.isEmpty()) {
        modules.clear();
      }
      return;
    }
    var used = new HashSet<String>();
    recorded.forEach(k -> used.add(k.record.type().module().sha256()));
    failed.forEach(k -> used.add(k.record.type().module().sha256()));
    modules.keySet().retainAll(used);
  }

  synchronized List<TurnRecord> turns(Address actor) {
    var all = new ArrayList<Kept>(recorded.size() + failed.size());
    all.addAll(recorded);
    all.addAll(failed);
    all.sort(Comparator.comparingLong(Kept::seq));
    var out = new ArrayList<TurnRecord>(all.size());
    for (Kept k : all) {
      if (actor == null || k.record.address().equals(actor)) {
        out.add(k.record);
      }
    }
    return out;
  }

  synchronized byte[] module(String sha256) {
    return modules.get(sha256);
  }

  synchronized void clear() {
    recorded.clear();
    failed.clear();
    modules.clear();
    bytes = 0;
  }

  synchronized Recorder.Status status() {
    return new Recorder.Status(
        type, wholeType, Set.copyOf(actors), recorded.size() + failed.size(), bytes, dropped);
  }

  synchronized int size() {
    return recorded.size() + failed.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long dropped() {
    return dropped;
  }

  /**
   * The estimated heap taken by a record: payloads, the states before and after (as weighed for the
   * state budget), effects and answers, plus a fixed overhead per object graph.
   */
  static int estimate(TurnRecord r) {
    long n = RECORD_OVERHEAD + r.message().payload().length;
    n += weight(r.before());
    if (r.after() != r.before()) {
      n += weight(r.after());
    }
    for (Effect e : r.effects()) {
      n +=
          EFFECT_OVERHEAD
              + switch (e) {
                case Effect.Send s -> s.payload().length;
                case Effect.Ask a -> a.payload().length;
                case Effect.Reply rep -> rep.payload().length;
                case Effect.Publish p -> p.topic().length() + p.payload().length;
                case Effect.SetTimer t -> t.payload().length;
                case Effect.CancelTimer c -> 0;
                case Effect.Subscribe s -> s.filter().length();
                case Effect.Unsubscribe u -> u.filter().length();
                case Effect.Log l -> 2 * l.text().length();
              };
    }
    n += 24L * r.answers().ids().size();
    for (var e : r.answers().sharedData().entrySet()) {
      n += 48 + e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length);
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  private static long weight(ActorState s) {
    return s == null ? 0 : s.weight();
  }
}
