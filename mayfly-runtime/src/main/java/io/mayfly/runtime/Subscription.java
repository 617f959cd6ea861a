package io.mayfly.runtime;

/** A topic subscription held outside the actor system; close it to stop receiving. */
public interface Subscription extends AutoCloseable {
  /** The topic filter. */
  String filter();

  @Override
  void close();
}
