package io.mayfly.runtime;

import io.mayfly.runtime.spi.TurnEnvironment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live node's answers to turns: ids from one counter, the node's shared data, fresh random
 * seeds, and the node's pending requests. On a manual clock ids start at 1 and seeds follow a fixed
 * sequence, so test runs repeat exactly; otherwise ids start at a random point, so ids a restarted
 * node gives out do not repeat those of its predecessor.
 */
final class NodeEnvironment implements TurnEnvironment {
  private final AtomicLong ids;
  private final AtomicLong seeds;
  private final boolean deterministic;
  private final ConcurrentHashMap<String, byte[]> shared;
  private final Requests requests;
  private final boolean alone;

  /**
   * @param alone whether this node is the only one (embedded): requests of other nodes cannot be
   *     pending
   */
  NodeEnvironment(
      boolean deterministic,
      ConcurrentHashMap<String, byte[]> shared,
      Requests requests,
      boolean alone) {
    this.alone = alone;
    this.deterministic = deterministic;
    this.ids = new AtomicLong(firstId(deterministic));
    this.seeds = new AtomicLong(0x9E3779B97F4A7C15L);
    this.shared = shared;
    this.requests = requests;
  }

  /** The id before the first: 0, or a random point that leaves room for 2^32 ids below 2^52. */
  static long firstId(boolean deterministic) {
    return deterministic ? 0 : ThreadLocalRandom.current().nextLong(1L << 20) << 32;
  }

  @Override
  public long nextId() {
    return ids.incrementAndGet();
  }

  @Override
  public byte[] sharedData(String key) {
    return shared.get(key);
  }

  @Override
  public long randomSeed() {
    return deterministic
        ? seeds.addAndGet(0x9E3779B97F4A7C15L)
        : ThreadLocalRandom.current().nextLong();
  }

  @Override
  public boolean isPending(RequestRef request) {
    return requests.holds(request) ? requests.isPending(request) : !alone;
  }

  @Override
  public byte[] replyHandle(RequestRef request) {
    return Requests.handle(request);
  }

  @Override
  public RequestRef parseReplyHandle(byte[] handle) {
    return Requests.parseHandle(handle);
  }
}
