package io.mayfly.testkit;

import io.mayfly.runtime.RequestRef;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.spi.TurnEnvironment;
import java.util.List;
import java.util.Map;

/**
 * Gives a replayed turn the answers the host gave the recorded one: the same ids in the same order,
 * the same shared data, the same random seed; every request still pending. New code that asks for
 * more ids than were recorded gets ids above every recorded one; shared data the recorded turn did
 * not read is absent.
 */
final class ReplayEnvironment implements TurnEnvironment {
  /** The seed a replayed turn gets when the recorded one drew no random numbers. */
  static final long UNRECORDED_SEED = 0x9E3779B97F4A7C15L;

  private final List<Long> ids;
  private final Map<String, byte[]> shared;
  private final long seed;
  private int next;
  private long fresh;

  ReplayEnvironment(TurnRecord recorded) {
    TurnRecord.HostAnswers a = recorded.answers();
    this.ids = a.ids();
    this.shared = a.sharedData();
    this.seed = a.randomSeed() == 0 ? UNRECORDED_SEED : a.randomSeed();
    long max = 0;
    for (long id : ids) {
      max = Math.max(max, id);
    }
    if (recorded.before() != null) {
      for (long id : recorded.before().timers().keySet()) {
        max = Math.max(max, id);
      }
    }
    this.fresh = max;
  }

  @Override
  public long nextId() {
    return next < ids.size() ? ids.get(next++) : ++fresh;
  }

  @Override
  public byte[] sharedData(String key) {
    return shared.get(key);
  }

  @Override
  public long randomSeed() {
    return seed;
  }

  @Override
  public boolean isPending(RequestRef request) {
    return true;
  }

  @Override
  public byte[] replyHandle(RequestRef request) {
    return request.handle();
  }

  @Override
  public RequestRef parseReplyHandle(byte[] handle) {
    return RequestRef.ofHandle(handle);
  }
}
