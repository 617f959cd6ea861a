package io.mayfly.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A probe's result line reads back as written, and a missing or broken one is named. */
class ProbeLineTest {
  @Test
  void theLineAProbePrintsParsesBackAmongOtherOutput() {
    String line =
        ProbeLine.named("footprint")
            .put("actors", 1_000_000)
            .put("engine", "compiled")
            .put("warm", new long[] {3, 1, 2})
            .format();

    ProbeLine parsed =
        ProbeLine.parse("footprint", "a human line\n" + line + "\n[0.2s][warning][aot] more\n");

    assertThat(line).isEqualTo("mayfly-probe footprint actors=1000000 engine=compiled warm=3,1,2");
    assertThat(parsed.longValue("actors")).isEqualTo(1_000_000);
    assertThat(parsed.text("engine")).isEqualTo("compiled");
    assertThat(parsed.longs("warm")).containsExactly(3, 1, 2);
    assertThat(parsed.has("rss")).isFalse();
  }

  @Test
  void aMissingFigureIsNamedWithTheProbeAndItsLine() {
    ProbeLine parsed = ProbeLine.parse("start", "mayfly-probe start main=1");

    assertThatThrownBy(() -> parsed.longValue("replied"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("probe start did not report 'replied'")
        .hasMessageContaining("mayfly-probe start main=1");
  }

  @Test
  void outputWithoutTheLineOrWithTwoIsAFailedProbe() {
    assertThatThrownBy(() -> ProbeLine.parse("start", "Exception in thread main\n"))
        .isInstanceOf(ProbeFailedException.class)
        .hasMessageContaining("probe start printed no result line")
        .hasMessageContaining("Exception in thread main");
    assertThatThrownBy(
            () -> ProbeLine.parse("start", "mayfly-probe start a=1\nmayfly-probe start a=2\n"))
        .hasMessageContaining("printed 2 result lines");
    assertThatThrownBy(() -> ProbeLine.parse("start", "mayfly-probe start a=1 b\n"))
        .hasMessageContaining("malformed figure 'b'");
  }

  @Test
  void aFigureMustBeOneWord() {
    assertThatThrownBy(() -> ProbeLine.named("start").put("engine", "two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'engine' of probe start must be one word");
  }
}
