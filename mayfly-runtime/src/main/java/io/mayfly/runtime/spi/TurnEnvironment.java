package io.mayfly.runtime.spi;

import io.mayfly.runtime.RequestRef;

/**
 * Everything a turn asks of the world besides its message and its state: ids, shared data, the seed
 * of its random numbers, and what it needs to answer requests. A turn is a function of its state,
 * its message, its time and these answers, so a recorder can wrap this interface to keep them, and
 * a replayer can implement it to give the same answers again.
 */
public interface TurnEnvironment {
  /** A new id for a timer or an ask (positive, unique within the node). */
  long nextId();

  /** Shared data under {@code key}, or {@code null}. */
  byte[] sharedData(String key);

  /** The seed of this turn's random numbers (WASI {@code random_get}). */
  long randomSeed();

  /**
   * Whether {@code request} may still be answered: for a request held by this node, whether it is
   * still pending; for one held elsewhere, {@code true} (the holder drops a late answer).
   */
  boolean isPending(RequestRef request);

  /** The reply handle a guest keeps to answer {@code request} in a later turn. */
  byte[] replyHandle(RequestRef request);

  /** The request a reply handle names, or {@code null} if the bytes are not a reply handle. */
  RequestRef parseReplyHandle(byte[] handle);
}
