package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution that {@code package} builds (target/mayfly-VERSION.tar.gz), unpacked somewhere
 * else and run through its bin/mayfly, as someone installing it on a machine without a JDK would:
 * no {@code java} on {@code PATH}, no {@code JAVA_HOME}.
 */
class DistributionIT {
  private static final Path DIST = Path.of(System.getProperty("mayfly.dist", "missing"));
  private static final Path PROBE = Path.of("../testdata/guests/wasm/probe.wasm").toAbsolutePath();
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");

  @TempDir static Path dir;
  private static Path home;
  private static Map<String, String> noJdk;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(DIST).as("the distribution (run through failsafe after package)").isRegularFile();
    var untar = Processes.run(dir, Map.of(), 60, List.of("tar", "xzf", DIST.toString()));
    assertThat(untar.exitCode()).as(untar.output()).isZero();
    home = dir.resolve("mayfly-" + System.getProperty("mayfly.version"));
    noJdk = environmentWithoutJdk(dir.resolve("path"));
  }

  /**
   * PATH with only what the launcher itself needs (bash, readlink, dirname), no JAVA_HOME: the
   * machine's own java (a JDK 17 here) must not be found.
   */
  private static Map<String, String> environmentWithoutJdk(Path bin) throws IOException {
    Files.createDirectories(bin);
    for (String tool : List.of("bash", "readlink", "dirname")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
    }
    return Map.of("PATH", bin.toString(), "HOME", dir.toString());
  }

  /** bin/mayfly with these arguments, in the environment above (plus extra) and nothing else. */
  private static List<String> mayflyCommand(Map<String, String> extra, String... args) {
    var command = new ArrayList<String>(List.of("/usr/bin/env", "-i"));
    noJdk.forEach((k, v) -> command.add(k + "=" + v));
    extra.forEach((k, v) -> command.add(k + "=" + v));
    command.add(home.resolve("bin/mayfly").toString());
    command.addAll(List.of(args));
    return command;
  }

  private static Processes.Result mayfly(long timeoutSeconds, String... args) throws Exception {
    return mayflyWith(Map.of(), timeoutSeconds, args);
  }

  private static Processes.Result mayflyWith(
      Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
    return Processes.run(dir, Map.of(), timeoutSeconds, mayflyCommand(env, args));
  }

  @Test
  void carriesItsOwnJavaRuntimeWithOnlyTheModulesItNeeds() throws Exception {
    assertThat(home.resolve("bin/mayfly")).isExecutable();
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    assertThat(home.resolve("conf/jvm.options")).isRegularFile();
    assertThat(home.resolve("LICENSE")).content().contains("Apache License");
    try (var jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("mayfly-cli-"))
          .anyMatch(n -> n.startsWith("mayfly-mqtt-"))
          .anyMatch(n -> n.startsWith("picocli-"));
    }
    String release = Files.readString(home.resolve("runtime/release"));
    assertThat(release).contains("JAVA_VERSION=\"25").contains("jdk.unsupported");
    assertThat(release).doesNotContain("java.desktop").doesNotContain("jdk.compiler");
    assertThat(home.resolve("runtime/jmods")).doesNotExist();
    assertThat(home.resolve("runtime/man")).doesNotExist();

    var version = mayfly(60, "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).contains("Java 25");
  }

  /** Unpacked elsewhere than where it was made, the AOT cache is still used (-XX:AOTMode=on). */
  @Test
  void startsWithItsAotCache() throws Exception {
    assertThat(home.resolve("lib/mayfly.aot")).isNotEmptyFile();
    var version = mayflyWith(Map.of("MAYFLY_JAVA_OPTS", "-XX:AOTMode=on"), 60, "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).doesNotContain("aot").doesNotContain("AOT");
  }

  @Test
  void helpAndTheDemoRunWithoutAJdk() throws Exception {
    var help = mayfly(60, "--help");
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: mayfly").contains("demo").contains("run");

    var demo = mayfly(90, "demo", "--seconds", "2", "--sensors", "200");
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output()).contains("Summary after");
  }

  /**
   * A node with the MQTT bridge, driven by the distribution's client verbs and a real broker: it
   * works, and prints no JDK warning (Netty's sun.misc.Unsafe use) and no Helidon complaint.
   */
  @Test
  void nodeWithMqttBridgeRunsWithoutWarnings(@TempDir Path work) throws Exception {
    Mosquitto broker = Mosquitto.start(work);
    Path log = work.resolve("node.log");
    List<String> command =
        mayflyCommand(
            Map.of(),
            "run",
            "--http",
            "127.0.0.1:0",
            "--admin-token",
            "adm",
            "--client-token",
            "cli",
            "--mqtt",
            "127.0.0.1:" + broker.port(),
            "--mqtt-route",
            "sensors/+/cmd=probe/{1}");
    Process node =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> listeningUrl(log) != null || !node.isAlive());
      String url = listeningUrl(log);
      assertThat(url).as("the node's output: %s", Files.readString(log)).isNotNull();

      var deploy = mayfly(60, "deploy", "probe", PROBE.toString(), "--url", url, "--token", "adm");
      assertThat(deploy.exitCode()).as(deploy.output()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                broker.pub("sensors/s1/cmd", "app:log=x", 1);
                var state = mayfly(60, "state", "probe/s1", "--url", url, "--token", "adm");
                assertThat(state.exitCode()).as(state.output()).isZero();
                assertThat(state.output()).contains("\"utf8\" : \"x ");
              });
      var ask = mayfly(60, "ask", "probe/a", "put:k=v;get:k", "--url", url, "--token", "cli");
      assertThat(ask.exitCode()).as(ask.output()).isZero();

      node.destroy(); // SIGTERM: drain and stop
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(node.exitValue()).as(output).isEqualTo(143); // the JVM's exit on SIGTERM
      assertThat(output)
          .contains("stopping: draining actors")
          .doesNotContain("WARNING")
          .doesNotContain("sun.misc.Unsafe")
          .doesNotContain("[aot")
          .doesNotContain("no Helidon logging implementation");
    } finally {
      node.destroyForcibly();
      broker.stop();
    }
  }

  private static String listeningUrl(Path log) throws IOException {
    Matcher m = URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
    return m.find() ? m.group(1) : null;
  }
}
