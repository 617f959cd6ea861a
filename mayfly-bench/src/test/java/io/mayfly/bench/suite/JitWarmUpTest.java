package io.mayfly.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitWarmUpTest {
  private static final long SECOND = 1_000_000_000L;

  /** A fake load: each slice advances the clock by its length and the compilers by a given time. */
  private static final class FakeJvm {
    long nanos;
    long compileMillis;
    final List<Long> compilePerSlice;
    int slices;

    FakeJvm(List<Long> compilePerSlice) {
      this.compilePerSlice = new ArrayList<>(compilePerSlice);
    }

    void slice(long length) {
      nanos += length;
      compileMillis += slices < compilePerSlice.size() ? compilePerSlice.get(slices) : 0;
      slices++;
    }

    JitWarmUp.Outcome warm(JitWarmUp warmUp) {
      return warmUp.run(this::slice, SECOND / 2, () -> compileMillis, () -> nanos);
    }
  }

  @Test
  void goesOnWhileTheCompilersWorkAndStopsOnceTheyAreQuiet() {
    // 400, 300, 200 ms of compiling per half second, then 5 ms: settled after the fourth slice.
    var jvm = new FakeJvm(List.of(400L, 300L, 200L, 5L));
    JitWarmUp.Outcome outcome = jvm.warm(new JitWarmUp(SECOND, 30 * SECOND, 0.02));
    assertThat(outcome.settled()).isTrue();
    assertThat(jvm.slices).isEqualTo(4);
    assertThat(outcome.nanos()).isEqualTo(2 * SECOND);
    assertThat(outcome.compileMillis()).isEqualTo(905);
  }

  @Test
  void runsAtLeastTheLeastTimeEvenWhenNothingCompiles() {
    var jvm = new FakeJvm(List.of());
    JitWarmUp.Outcome outcome = jvm.warm(new JitWarmUp(3 * SECOND, 30 * SECOND, 0.02));
    assertThat(outcome.settled()).isTrue();
    assertThat(jvm.slices).isEqualTo(6);
  }

  @Test
  void aJitThatNeverSettlesEndsAtTheMostTime() {
    var jvm = new FakeJvm(List.of(100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L));
    JitWarmUp.Outcome outcome = jvm.warm(new JitWarmUp(SECOND, 3 * SECOND, 0.02));
    assertThat(outcome.settled()).isFalse();
    assertThat(outcome.nanos()).isEqualTo(3 * SECOND);
    assertThat(jvm.slices).isEqualTo(6);
  }

  @Test
  void withoutCompileTimesOnlyTheLeastTimeCounts() {
    var jvm = new FakeJvm(List.of(400L, 400L, 400L, 400L));
    JitWarmUp.Outcome outcome =
        new JitWarmUp(SECOND, 30 * SECOND, 0.02).run(jvm::slice, SECOND / 2, null, () -> jvm.nanos);
    assertThat(jvm.slices).isEqualTo(2);
    assertThat(outcome.settled()).isTrue();
  }

  @Test
  void refusesBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new JitWarmUp(2 * SECOND, SECOND, 0.02))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min 2000000000 ns, max 1000000000 ns");
    assertThatThrownBy(() -> new JitWarmUp(SECOND, SECOND, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share 0.0");
  }

  @Test
  void theRunningJvmReportsItsCompileTime() {
    var compileMillis = JitWarmUp.jvmCompileMillis();
    assertThat(compileMillis).isNotNull(); // HotSpot monitors compilation time
    assertThat(compileMillis.getAsLong()).isGreaterThanOrEqualTo(0);
  }
}
