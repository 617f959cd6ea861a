package io.mayfly.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a turn changed its actor's state, key by key. Keys whose value was written again with the
 * same bytes are not changes.
 *
 * @param added keys the turn created, with their new values
 * @param changed keys whose value the turn replaced, with both values
 * @param removed keys the turn deleted, with the values they had
 */
public record StateDiff(
    Map<String, byte[]> added, Map<String, Change> changed, Map<String, byte[]> removed) {

  public StateDiff {
    added = Collections.unmodifiableMap(new LinkedHashMap<>(added));
    changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
    removed = Collections.unmodifiableMap(new LinkedHashMap<>(removed));
  }

  /**
   * One replaced value.
   *
   * @param before the value before the turn
   * @param after the value after the turn
   */
  public record Change(byte[] before, byte[] after) {}

  /** The difference from {@code before} to {@code after}, in the order of their keys. */
  public static StateDiff between(Map<String, byte[]> before, Map<String, byte[]> after) {
    var added = new LinkedHashMap<String, byte[]>();
    var changed = new LinkedHashMap<String, Change>();
    var removed = new LinkedHashMap<String, byte[]>();
    for (var e : after.entrySet()) {
      byte[] old = before.get(e.getKey());
      if (old == null) {
        added.put(e.getKey(), e.getValue());
      } else if (!Arrays.equals(old, e.getValue())) {
        changed.put(e.getKey(), new Change(old, e.getValue()));
      }
    }
    for (var e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        removed.put(e.getKey(), e.getValue());
      }
    }
    return new StateDiff(added, changed, removed);
  }

  /** Whether the turn left the state as it was. */
  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }

  /** The keys the turn added, changed or removed. */
  public Set<String> keys() {
    var keys = new LinkedHashSet<String>();
    keys.addAll(added.keySet());
    keys.addAll(changed.keySet());
    keys.addAll(removed.keySet());
    return Collections.unmodifiableSet(keys);
  }

  /** One line per key: {@code + key = value}, {@code ~ key = old -> new}, {@code - key}. */
  @Override
  public String toString() {
    var lines = new ArrayList<String>();
    added.forEach((k, v) -> lines.add("+ " + k + " = " + Bytes.show(v)));
    changed.forEach(
        (k, c) ->
            lines.add("~ " + k + " = " + Bytes.show(c.before()) + " -> " + Bytes.show(c.after())));
    removed.forEach((k, v) -> lines.add("- " + k + " (was " + Bytes.show(v) + ")"));
    return lines.isEmpty() ? "(no state change)" : String.join("\n", lines);
  }
}
