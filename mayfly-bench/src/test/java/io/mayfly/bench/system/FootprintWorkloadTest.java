package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.bench.Footprint;
import io.mayfly.bench.suite.ProbeLine;
import io.mayfly.testing.Checkout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The footprint probe, run in a child JVM as the workload runs it but with 10 000 actors, reports
 * figures that hang together.
 */
class FootprintWorkloadTest {
  private static final Path ROOT = Checkout.root();

  private static final int ACTORS = 10_000;

  @Test
  void aSmallRunStoresEveryActorAndExpiresThemAll() {
    FootprintWorkload.Setting benchmark = FootprintWorkload.settings(ROOT).get(0);
    // The probe measures the heap before the TTL passes, then waits for the expiry: activating
    // 10 000 actors took 2 s on two busy shared cores, so a 1 s TTL failed the run.
    var settings = new Footprint.Settings(ACTORS, 100, Duration.ofSeconds(4), 2_000, 1L << 30);

    ProbeLine r = FootprintWorkload.checked(FootprintWorkload.actors(benchmark, settings));

    assertThat(r.longValue("stored-actors")).isEqualTo(ACTORS);
    assertThat(r.longValue("evictions")).isZero();
    assertThat(r.longValue("expirations")).isEqualTo(ACTORS);
    assertThat(r.longValue("stored-after-expiry")).isZero();
    assertThat(r.longValue("sync-stored-actors")).isEqualTo(2_000);
    // 101 bytes of key and value at the least, and each actor is charged what it holds.
    assertThat(FootprintWorkload.heapPerActor(r)).isBetween(101.0, 10_000.0);
    assertThat(FootprintWorkload.stateBytesPerActor(r)).isGreaterThanOrEqualTo(101);
    // -Xmx1g; the serial collector the launchers choose reports one survivor space less.
    assertThat(r.longValue("heap-max")).isBetween((1L << 30) * 9 / 10, 1L << 30);
    assertThat(r.longValue("rss-after")).isGreaterThan(r.longValue("heap-after"));
    assertThat(r.longValue("heap-after-expiry")).isLessThan(r.longValue("heap-after"));
    assertThat(r.longValue("released-nanos")).isGreaterThanOrEqualTo(r.longValue("expiry-nanos"));
    assertThat(FootprintWorkload.activationNanos(r)).isPositive();
    assertThat(FootprintWorkload.syncActivationNanos(r)).isPositive();
  }

  @Test
  void anIdleNodeReportsItsHeapAndRss() {
    ProbeLine r = FootprintWorkload.idle(FootprintWorkload.settings(ROOT).get(1));

    assertThat(r.longValue("heap-used")).isPositive().isLessThan(r.longValue("rss"));
    assertThat(r.longValue("workers")).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void aRunThatLeftActorsAfterExpiryIsRejectedNamingIt() {
    ProbeLine r =
        ProbeLine.parse(
            Footprint.PROBE,
            "mayfly-probe footprint actors=10 stored-actors=10 evictions=0 stored-after-expiry=3"
                + " state-bytes-after-expiry=300 expirations=7");

    assertThatThrownBy(() -> FootprintWorkload.checked(r))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("actors were left after expiry")
        .hasMessageContaining("stored-after-expiry=3");
  }
}
