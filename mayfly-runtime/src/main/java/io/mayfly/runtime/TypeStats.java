package io.mayfly.runtime;

import java.util.Map;

/**
 * What one deployed type is doing right now and has done since it was first deployed on this node:
 * the per-type view of {@link NodeStats}, for an operator's console.
 *
 * @param type the actor type
 * @param turns turns run by its actors, committed or not
 * @param failed turns rolled back (and asks answered without a reply) by reason code ({@link
 *     FailureReason#code()}); every reason is present, most of them 0
 * @param activeActors its actors with a mailbox right now (messages queued or running)
 * @param storedActors its actors with short-term state
 * @param stateBytes bytes of its actors' state charged against the node's budget
 */
public record TypeStats(
    String type,
    long turns,
    Map<String, Long> failed,
    long activeActors,
    long storedActors,
    long stateBytes) {
  public TypeStats {
    failed = Map.copyOf(failed);
  }
}
