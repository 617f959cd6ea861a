package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ./mvnw on a machine whose default JDK is older than 25 (Debian 12's is 17): it builds with a JDK
 * 25 it finds instead of dying on an option the old JVM does not know.
 */
class MavenWrapperIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  @Test
  void wrapperGivenAnOlderJdkUsesAJdk25AndSaysSo() throws Exception {
    assumeTrue(Files.isExecutable(JDK_17.resolve("bin/java")), "no JDK 17 at " + JDK_17);
    var env =
        Map.of(
            "JAVA_HOME",
            JDK_17.toString(),
            "PATH",
            JDK_17.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    var version = Processes.run(ROOT, env, 120, List.of("./mvnw", "-v"));
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output())
        .contains("ignoring JAVA_HOME=" + JDK_17 + " (JDK 17; Mayfly needs JDK 25+)")
        .contains("Java version: 25")
        .doesNotContain("Unrecognized option");
  }
}
