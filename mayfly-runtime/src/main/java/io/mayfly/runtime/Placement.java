package io.mayfly.runtime;

/**
 * Decides which node runs an actor and carries messages to actors this node does not own. The
 * embedded node owns every actor; a clustered node owns the actors whose partition it owns and
 * forwards the rest to the owner, which delivers them with {@link Mayfly#deliver(Message)}.
 */
public interface Placement {
  /** Whether this node runs {@code address} now. */
  boolean isLocal(Address address);

  /**
   * Sends a message to the node that owns its target. Only called for non-local targets.
   *
   * <p>Throws a {@code MayflyException} when the owner cannot be reached.
   */
  void forward(Message message);

  /** Every actor lives on this node. */
  static Placement local() {
    return LocalPlacement.INSTANCE;
  }

  /** The placement of the embedded node. */
  enum LocalPlacement implements Placement {
    INSTANCE;

    @Override
    public boolean isLocal(Address address) {
      return true;
    }

    @Override
    public void forward(Message message) {
      throw new IllegalStateException("an embedded node owns every actor: " + message.target());
    }
  }
}
