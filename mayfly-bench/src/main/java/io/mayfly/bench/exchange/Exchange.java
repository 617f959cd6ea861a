package io.mayfly.bench.exchange;

/**
 * One way of running the workflows: Mayfly's actors, the stateless functions with hand-offs through
 * Redis, or the stateless functions handing arrays to each other directly. Thread-safe: several
 * callers run requests at once.
 */
interface Exchange extends AutoCloseable {
  /** The name in the tables. */
  String name();

  /** Runs one workflow request (see {@link Shape#request}) and returns the client's answer. */
  byte[] run(Shape shape, byte[] request);

  @Override
  void close();
}
