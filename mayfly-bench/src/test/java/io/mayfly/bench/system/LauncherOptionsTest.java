package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.testing.Checkout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks run nodes with the JVM options the launchers pass, read from the options file both
 * launchers give java.
 */
class LauncherOptionsTest {
  private static final Path ROOT = Checkout.root();

  @Test
  void bothLaunchersStartJavaWithTheOptionsFileAndTheDistributionAddsItsCollector() {
    List<String> distribution = LauncherOptions.distribution(ROOT);

    assertThat(distribution)
        .isNotEmpty()
        .allMatch(o -> o.startsWith("-"))
        .contains("-XX:-DontCompileHugeMethods", "-XX:+ExitOnOutOfMemoryError")
        .endsWith(LauncherOptions.DEFAULT_COLLECTOR);
    assertThat(LauncherOptions.usesOptionsFile(ROOT.resolve(LauncherOptions.DISTRIBUTION)))
        .isTrue();
    assertThat(LauncherOptions.addsDefaultCollector(ROOT.resolve(LauncherOptions.DISTRIBUTION)))
        .isTrue();
    assertThat(LauncherOptions.usesOptionsFile(ROOT.resolve(LauncherOptions.CHECKOUT))).isTrue();
    // The checkout's launcher runs the live demo: it leaves the collector to the JVM.
    assertThat(LauncherOptions.addsDefaultCollector(ROOT.resolve(LauncherOptions.CHECKOUT)))
        .isFalse();
  }

  @Test
  void theFootprintWorkloadsDistributionSettingIsExactlyTheLaunchersOptions() {
    List<FootprintWorkload.Setting> settings = FootprintWorkload.settings(ROOT);
    List<String> launcher = LauncherOptions.distribution(ROOT);

    assertThat(settings.get(1).jvmOptions())
        .isEqualTo(launcher)
        .noneMatch(o -> o.startsWith("-Xmx"));
    assertThat(settings.get(0).jvmOptions()).startsWith(launcher.toArray(String[]::new));
  }

  @Test
  void theOptionsAreTheFilesLinesWithoutComments() {
    String file =
        """
        # a comment
        -XX:+UseSerialGC

          -Xss2m
        """;

    assertThat(LauncherOptions.parse("jvm.options", file))
        .containsExactly("-XX:+UseSerialGC", "-Xss2m");
  }

  @Test
  void anOptionsFileTheBenchmarksCannotPassAsItIsIsAClearError() {
    assertThatThrownBy(() -> LauncherOptions.parse("jvm.options", "# nothing\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot find the JVM options in jvm.options");
    assertThatThrownBy(() -> LauncherOptions.parse("jvm.options", "$OPTS\n"))
        .hasMessageContaining("'$OPTS' is not a plain JVM option");
  }
}
