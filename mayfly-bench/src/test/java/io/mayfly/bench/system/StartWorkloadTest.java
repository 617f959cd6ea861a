package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.bench.StartProbe;
import io.mayfly.bench.suite.ChildJvm;
import io.mayfly.bench.suite.ProbeFailedException;
import io.mayfly.bench.suite.ProbeLine;
import io.mayfly.testing.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start workload's probes, each in a child JVM with the distribution's JVM options. */
class StartWorkloadTest {
  private static final Path ROOT = Checkout.root();

  private static final List<String> LAUNCHER = LauncherOptions.distribution(ROOT);

  @Test
  void aStartIsStampedInOrderFromProcessStartToTheFirstReply() {
    StartWorkload.Start start = StartWorkload.embedded(LAUNCHER);

    assertThat(start.jvmUp()).isPositive();
    assertThat(start.nodeUp()).isGreaterThanOrEqualTo(start.jvmUp());
    assertThat(start.deployed()).isGreaterThanOrEqualTo(start.nodeUp());
    assertThat(start.replied()).isGreaterThanOrEqualTo(start.deployed());
    assertThat(start.rss()).isPositive();
  }

  @Test
  void theDeployProbeDeploysAModuleColdThenWarmUnderNewNames(@TempDir Path dir) throws Exception {
    byte[] module = LargeModule.module(16);
    Path file = Files.write(dir.resolve("small.wasm"), module);

    ProbeLine r = StartWorkload.deploy(LAUNCHER, file, 2);

    assertThat(r.longValue("bytes")).isEqualTo(module.length);
    assertThat(r.longValue("functions")).isEqualTo(16 + 4);
    assertThat(r.text("engine")).isEqualTo("compiled");
    assertThat(r.longValue("cold")).isPositive();
    assertThat(r.longs("warm")).hasSize(2).doesNotContain(0L);
  }

  @Test
  void aStartProbeGivenWrongArgumentsFailsNamingItself() {
    assertThatThrownBy(
            () ->
                ChildJvm.run(
                    StartProbe.START,
                    LAUNCHER,
                    StartProbe.class.getName(),
                    List.of("first-mesage"),
                    Duration.ofMinutes(1)))
        .isInstanceOf(ProbeFailedException.class)
        .hasMessageContaining("probe start (")
        .hasMessageContaining("io.mayfly.bench.StartProbe first-mesage) exited with 1")
        .hasMessageContaining("usage: StartProbe first-message");
  }

  @Test
  void withoutABuildOfTheCliTheErrorSaysHowToBuildIt(@TempDir Path emptyCheckout) {
    assertThatThrownBy(() -> CliNode.classPath(emptyCheckout))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no build of the CLI")
        .hasMessageContaining("scripts/bench");
  }
}
