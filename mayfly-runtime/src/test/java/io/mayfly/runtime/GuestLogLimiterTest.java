package io.mayfly.runtime;

import static io.mayfly.runtime.GuestLogLimiter.Verdict.DROP;
import static io.mayfly.runtime.GuestLogLimiter.Verdict.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestLogLimiterTest {
  private final ManualClock clock = ManualClock.create();
  private final NodeConfig config =
      Mayfly.builder().clock(clock).guestLogLimit(new GuestLogLimit(1, 2)).snapshot();
  private final List<String> late = new ArrayList<>();
  private final GuestLogLimiter limiter =
      new GuestLogLimiter(config, (actor, summary) -> late.add(actor + ": " + summary));
  private final Address actor = Address.parse("probe/a");
  private final List<String> inline = new ArrayList<>();

  @Test
  void theFirstDropIsSummarizedAtOnceAndTheRestBeforeTheNextLineThatPasses() {
    List<GuestLogLimiter.Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      verdicts.add(limiter.take(actor, inline::add));
    }
    assertThat(verdicts).containsExactly(WRITE, WRITE, DROP, DROP);
    assertThat(inline)
        .containsExactly("1 log line dropped over the actor's limit of 1 lines/s (burst 2)");

    clock.advance(Duration.ofSeconds(1)); // one token back, the bucket still remembered
    assertThat(limiter.take(actor, inline::add)).isEqualTo(WRITE);
    assertThat(inline)
        .last()
        .isEqualTo("1 log line dropped over the actor's limit of 1 lines/s (burst 2)");
    assertThat(late).isEmpty();
  }

  @Test
  void linesDroppedBeforeTheActorWentQuietAreSummarizedWhenItsBucketIsForgotten() {
    for (int i = 0; i < 5; i++) {
      limiter.take(actor, inline::add);
    }
    assertThat(inline).hasSize(1); // the first drop; two more dropped since

    clock.advance(Duration.ofSeconds(10)); // long past a refill: the bucket is forgotten
    assertThat(limiter.take(actor, inline::add)).isEqualTo(WRITE);

    assertThat(late)
        .containsExactly(
            "probe/a: 2 log lines dropped over the actor's limit of 1 lines/s (burst 2)");
    assertThat(inline).hasSize(1);
  }
}
