package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.testing.Checkout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks run nodes with the JVM options the launchers pass, read from the distribution's
 * script, and both launchers agree on them.
 */
class LauncherOptionsTest {
  private static final Path ROOT = Checkout.root();

  @Test
  void theDistributionAndTheCheckoutLaunchersPassTheSameJvmOptions() {
    List<String> distribution = LauncherOptions.distribution(ROOT);

    assertThat(distribution).isNotEmpty().allMatch(o -> o.startsWith("-X"));
    assertThat(LauncherOptions.read(ROOT.resolve(LauncherOptions.CHECKOUT)))
        .isEqualTo(distribution);
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
  void theOptionsAreThoseBetweenJavaAndTheUsersOwnOnAContinuedLine() {
    String script =
        """
        extra=()
        exec "$java_home/bin/java" -XX:+UseSerialGC -Xss2m "${extra[@]}" \\
          -cp "$home/lib/*" io.mayfly.cli.Main "$@"
        """;

    assertThat(LauncherOptions.parse("bin/mayfly", script))
        .containsExactly("-XX:+UseSerialGC", "-Xss2m");
  }

  @Test
  void aLauncherThatDoesNotRunJavaAsExpectedIsAClearError() {
    assertThatThrownBy(() -> LauncherOptions.parse("bin/mayfly", "exec java -jar mayfly.jar\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot find the JVM options in bin/mayfly");
    assertThatThrownBy(
            () ->
                LauncherOptions.parse(
                    "bin/mayfly", "exec \"$JAVA_HOME/bin/java\" $OPTS \"${extra[@]}\" -cp x"))
        .hasMessageContaining("'$OPTS' is not a plain JVM option");
  }
}
