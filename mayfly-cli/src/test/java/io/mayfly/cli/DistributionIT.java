package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution that {@code package} builds (target/mayfly-VERSION.tar.gz), unpacked somewhere
 * else and run through its bin/mayfly, as someone installing it would.
 */
class DistributionIT {
  private static final Path DIST = Path.of(System.getProperty("mayfly.dist", "missing"));

  @Test
  void unpackedDistributionRunsHelpAndTheDemo(@TempDir Path dir) throws Exception {
    assertThat(DIST).as("the distribution (run through failsafe after package)").isRegularFile();
    var untar = Processes.run(dir, Map.of(), 60, List.of("tar", "xzf", DIST.toString()));
    assertThat(untar.exitCode()).as(untar.output()).isZero();
    Path home = dir.resolve("mayfly-" + System.getProperty("mayfly.version"));
    Path launcher = home.resolve("bin/mayfly");
    assertThat(launcher).isExecutable();
    try (var jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("mayfly-cli-"))
          .anyMatch(n -> n.startsWith("mayfly-mqtt-"))
          .anyMatch(n -> n.startsWith("picocli-"));
    }

    var help = Processes.run(dir, Map.of(), 60, List.of(launcher.toString(), "--help"));
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: mayfly").contains("demo").contains("run");

    var demo =
        Processes.run(
            dir,
            Map.of(),
            90,
            List.of(launcher.toString(), "demo", "--seconds", "2", "--sensors", "200"));
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output()).contains("Summary after");
  }
}
