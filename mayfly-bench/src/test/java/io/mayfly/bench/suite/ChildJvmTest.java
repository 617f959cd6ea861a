package io.mayfly.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A probe that fails gives an error naming it, its command line and what it printed. */
class ChildJvmTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  @Test
  void aProbeThatExitsWithAnErrorIsNamedWithItsStatusAndOutput() {
    assertThatThrownBy(
            () ->
                ChildJvm.run(
                    "silent",
                    List.of("-Xmx64m"),
                    NoResultProbe.class.getName(),
                    List.of("no-disk"),
                    TIMEOUT))
        .isInstanceOfSatisfying(
            ProbeFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(7))
        .hasMessageContaining(
            "probe silent (-Xmx64m io.mayfly.bench.suite.NoResultProbe no-disk) exited with 7")
        .hasMessageContaining("working on it")
        .hasMessageContaining("giving up: no-disk");
  }

  @Test
  void aProbeThatPrintsNoResultLineIsNamed() {
    assertThatThrownBy(
            () ->
                ChildJvm.run(
                    "silent", List.of(), NoResultProbe.class.getName(), List.of(), TIMEOUT))
        .isInstanceOfSatisfying(
            ProbeFailedException.class, e -> assertThat(e.exitStatus()).isZero())
        .hasMessageContaining(
            "probe silent (io.mayfly.bench.suite.NoResultProbe) printed no result")
        .hasMessageContaining("working on it");
  }
}
