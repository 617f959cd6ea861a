package io.mayfly.runtime.spi;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.TraceContext;
import java.util.function.Predicate;

/**
 * Decides which node runs an actor and carries what this node cannot handle itself: messages to
 * actors it does not own, and answers to requests another node holds. The embedded node owns every
 * actor; a clustered node owns the actors whose partition it owns and forwards the rest to the
 * owner, which delivers them with {@link Mayfly#deliver(Message)} and {@link
 * Mayfly#deliver(Answer)}.
 *
 * <p>Ownership changes are told, not polled: the placement calls {@link Ownership#gained} when this
 * node becomes the owner of actors (the node then re-arms their timers and subscriptions from their
 * state) and {@link Ownership#lost} when it stops being the owner (the node hands queued messages
 * on and forgets their timers and subscriptions). Each owner holds an ownership {@link
 * #epoch(Address) epoch}; a turn commits only if the epoch of its actor is the one it started
 * under, so a node that lost an actor mid-turn can no longer commit for it.
 */
public interface Placement {
  /**
   * Called once by the node as it starts, before any message: the channel through which the
   * placement reports ownership changes.
   */
  default void start(Ownership ownership) {}

  /** Whether this node runs {@code address} now. */
  boolean isLocal(Address address);

  /**
   * This node's ownership epoch for the actor: any value, changed whenever the node loses and
   * regains the actor. A turn that starts and ends under different epochs is discarded.
   */
  default long epoch(Address address) {
    return 0;
  }

  /**
   * Sends a message to the node that owns its target. Only called for non-local targets.
   *
   * <p>Throws a {@code MayflyException} when the owner cannot be reached.
   */
  void forward(Message message);

  /**
   * Sends an answer to the node holding its request ({@link Answer#request()}). Only called for
   * requests of other nodes.
   *
   * <p>Throws a {@code MayflyException} when that node cannot be reached.
   */
  void forward(Answer answer);

  /**
   * Tells the node that owns {@code sender} that the message with id {@code messageId} it sent was
   * handled (only with a {@linkplain StateStore#replicated() replicating store}); that node calls
   * {@link Mayfly#confirm(Address, String)}. Only called for senders this node does not own. A
   * confirmation that is lost only means that the message is sent again after the next change of
   * owners, and dropped by its receiver as a duplicate.
   *
   * <p>Throws a {@code MayflyException} when that node cannot be reached. By default nothing is
   * sent: the sender's owner keeps the message until the idempotency window ends.
   */
  default void confirm(Address sender, String messageId) {}

  /**
   * Carries a publication made on this node to every other node, each of which delivers it with
   * {@link Mayfly#deliverPublication} to its outside listeners and the subscribed actors it owns.
   * Called after this node delivered it to its own listeners and subscribed actors, and routed it
   * to the actors of type subscriptions. Publications of one node reach each other node in the
   * order made. The embedded node has no other node, and this does nothing.
   *
   * <p>Never throws: a publication that cannot leave is logged by the placement.
   *
   * @param publisher the publishing actor, or {@code null} for a publication from outside
   * @param trace the span that published, or {@code null}
   */
  default void publish(String topic, byte[] payload, Address publisher, TraceContext trace) {}

  /** Every actor lives on this node. */
  static Placement local() {
    return LocalPlacement.INSTANCE;
  }

  /** How a placement tells the node about ownership changes. Thread-safe. */
  interface Ownership {
    /** This node now owns the actors {@code actors} accepts (among those with state). */
    void gained(Predicate<Address> actors);

    /** This node no longer owns the actors {@code actors} accepts. */
    void lost(Predicate<Address> actors);
  }
}
