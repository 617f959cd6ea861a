package io.mayfly.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The per-actor limit on guest log lines written to the node's log: a token bucket per actor on the
 * node clock ({@link GuestLogLimit}). A line past the limit is dropped and counted per type; the
 * first drop is summarized in one line of the node's log at once, later ones at most once a second
 * per actor while they go on, and what is left when the actor goes quiet with its next line. The
 * turn's effects keep every line regardless (the test kit and recordings see them).
 *
 * <p>Buckets live in a cache that forgets one once it would have refilled: a fresh bucket is full,
 * so forgetting it changes nothing but memory. Lines dropped since the last summary of a bucket it
 * forgets are summarized then, so that an actor that goes quiet after a burst still has them in the
 * log.
 */
final class GuestLogLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** At most one summary line per actor in this time while its lines are dropped. */
  static final long SUMMARY_INTERVAL_NANOS = NANOS_PER_SECOND;

  /** One actor's bucket; touched by the turns of that actor, one at a time. */
  static final class Bucket {
    private final GuestLogLimit limit;
    private double tokens;
    private long refilledAt;
    private long dropped;
    private long summarizedAt = Long.MIN_VALUE;

    Bucket(GuestLogLimit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.refilledAt = now;
    }
  }

  /** What to do with one line. */
  enum Verdict {
    WRITE,
    DROP
  }

  private final NodeConfig config;
  private final MayflyClock clock;
  private final Cache<Address, Bucket> buckets;
  private final BiConsumer<Address, String> lateSummaries;

  /**
   * @param lateSummaries where the summary of a forgotten bucket goes (its actor, the text): it is
   *     not due at a line of that actor, so no caller of {@link #take} receives it
   */
  GuestLogLimiter(NodeConfig config, BiConsumer<Address, String> lateSummaries) {
    this.config = config;
    this.lateSummaries = lateSummaries;
    this.clock = config.clock();
    long refill = refillNanos(config.guestLogLimit());
    for (GuestLogLimit l : config.guestLogLimits().values()) {
      refill = Math.max(refill, refillNanos(l));
    }
    this.buckets =
        Caffeine.newBuilder()
            .ticker(clock::nanoTime)
            .expireAfterAccess(Duration.ofNanos(refill + SUMMARY_INTERVAL_NANOS))
            .maximumSize(1_000_000)
            .evictionListener((Address actor, Bucket b, RemovalCause cause) -> forgotten(actor, b))
            .build();
  }

  /** Summarizes what a bucket dropped since its last summary, as the cache forgets it. */
  private void forgotten(Address actor, Bucket b) {
    if (actor == null || b == null) {
      return;
    }
    String text;
    synchronized (b) {
      if (b.dropped == 0) {
        return;
      }
      text = summaryOf(b, clock.nanoTime());
    }
    lateSummaries.accept(actor, text);
  }

  private static long refillNanos(GuestLogLimit l) {
    return (long) Math.ceil((double) l.burst() / l.linesPerSecond() * NANOS_PER_SECOND);
  }

  /**
   * Takes a token for a line of {@code actor}; {@code summary} receives the summary line to write
   * first, if one is due.
   */
  Verdict take(Address actor, java.util.function.Consumer<String> summary) {
    long now = clock.nanoTime();
    Bucket b = buckets.get(actor, a -> new Bucket(config.guestLogLimit(a.type()), now));
    synchronized (b) {
      long elapsed = now - b.refilledAt;
      if (elapsed > 0) {
        b.tokens =
            Math.min(
                b.limit.burst(),
                b.tokens + (double) elapsed * b.limit.linesPerSecond() / NANOS_PER_SECOND);
        b.refilledAt = now;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        if (b.dropped > 0) {
          summary.accept(summaryOf(b, now));
        }
        return Verdict.WRITE;
      }
      b.dropped++;
      if (b.summarizedAt == Long.MIN_VALUE || now - b.summarizedAt >= SUMMARY_INTERVAL_NANOS) {
        summary.accept(summaryOf(b, now));
      }
      return Verdict.DROP;
    }
  }

  /** Writes a summary of dropped lines to the actor's logger, as a warning. */
  static void summarize(Address actor, TraceContext trace, String summary) {
    LogContext.log(
        LogContext.actorLogger(actor), System.Logger.Level.WARNING, actor, trace, summary);
  }

  private static String summaryOf(Bucket b, long now) {
    String text =
        b.dropped
            + (b.dropped == 1 ? " log line" : " log lines")
            + " dropped over the actor's limit of "
            + b.limit.linesPerSecond()
            + " lines/s (burst "
            + b.limit.burst()
            + ")";
    b.dropped = 0;
    b.summarizedAt = now;
    return text;
  }
}
