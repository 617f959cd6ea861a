package io.mayfly.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OCI image the build packed (target/mayfly-image-VERSION.tar): its configuration read by a
 * real OCI tool (skopeo), and, where a container runtime works on this machine (podman), the image
 * started and an actor in it asked over HTTP.
 */
class ImageIT {
  private static final Path TAR = Path.of(System.getProperty("mayfly.image.tar", "missing"));
  private static final Path PROBE = Path.of("../testdata/guests/wasm/probe.wasm").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a program ended and what it printed (stdout and stderr together). */
  record Result(int exitCode, String output) {}

  static Result run(long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("image-it", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            List.of(command)
                + " did not finish within "
                + timeoutSeconds
                + " s: "
                + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void imageConfigurationAsAnOciToolReadsIt() throws Exception {
    assertThat(TAR).as("the image tar (run through failsafe after package)").isRegularFile();
    var inspect = run(120, "skopeo", "inspect", "--config", "oci-archive:" + TAR);
    assertThat(inspect.exitCode()).as(inspect.output()).isZero();
    JsonNode config = JSON.readTree(inspect.output());
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    JsonNode c = config.path("config");
    assertThat(c.path("User").asText()).isEqualTo("10001:10001");
    assertThat(c.path("ExposedPorts").has("7070/tcp")).as(c.toString()).isTrue();
    assertThat(c.path("Entrypoint").get(0).asText()).isEqualTo("/opt/mayfly/runtime/bin/java");
    assertThat(c.path("Cmd").toString()).isEqualTo("[\"run\"]");
    assertThat(c.path("Env").toString()).contains("MAYFLY_HTTP=0.0.0.0:7070");
    assertThat(c.path("Labels").path("org.opencontainers.image.licenses").asText())
        .isEqualTo("Apache-2.0");
    assertThat(c.path("Labels").path("io.mayfly.health").asText()).endsWith("/health");
  }

  @Test
  void imageRunsANodeThatAnswersAnAsk() throws Exception {
    String image = loadedImage();
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String name = "mayfly-image-it-" + ProcessHandle.current().pid();
    var start =
        run(
            120,
            podman(
                "run",
                "-d",
                "--name",
                name,
                "-e",
                "MAYFLY_HTTP=0.0.0.0:" + port,
                "-e",
                "MAYFLY_ADMIN_TOKEN=adm",
                "-e",
                "MAYFLY_CLIENT_TOKENS=cli",
                image));
    assertThat(start.exitCode()).as(start.output()).isZero();
    try {
      String url = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .statusCode())
                      .isEqualTo(200));
      var deploy =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/types/probe"))
                  .header("Authorization", "Bearer adm")
                  .PUT(HttpRequest.BodyPublishers.ofFile(PROBE))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);
      var ask =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/actors/probe/a/ask"))
                  .header("Authorization", "Bearer cli")
                  .POST(HttpRequest.BodyPublishers.ofString("put:k=v;get:k"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ask.statusCode()).as(ask.body()).isEqualTo(200);
      assertThat(ask.body()).endsWith("v");
      var user = run(60, "podman", "top", name, "user");
      assertThat(user.output()).as("the node runs as the image's user").contains("mayfly");
    } finally {
      System.out.println(
          "ImageIT: the container's output:\n" + run(60, "podman", "logs", name).output());
      run(120, "podman", "rm", "-f", name);
    }
  }

  @Test
  void imageRefusesToListenOnAllInterfacesWithoutTokens() throws Exception {
    String image = loadedImage();
    var run = run(120, podman("run", "--rm", image));
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("without tokens").contains("insecure_binding");
  }

  /**
   * Loads the image into podman and runs its {@code --version}; the test is skipped, saying why,
   * when podman is missing or cannot start a container here.
   */
  private static String loadedImage() throws Exception {
    assertThat(TAR).as("the image tar (run through failsafe after package)").isRegularFile();
    if (!onPath("podman")) {
      skip("podman is not installed (apt-get install podman runc)");
    }
    var load = run(300, "podman", "load", "-q", "-i", TAR.toString());
    assertThat(load.exitCode()).as(load.output()).isZero();
    String image = "localhost/mayfly:" + System.getProperty("mayfly.version");
    var version = run(120, podman("run", "--rm", image, "--version"));
    if (version.exitCode() != 0) {
      skip("podman cannot start a container on this machine: " + version.output().strip());
    }
    assertThat(version.output()).contains("Java 25");
    return image;
  }

  private static void skip(String why) {
    System.out.println("ImageIT: not starting the image: " + why);
    abort(why);
  }

  /**
   * A podman command on the host's network (the node's port is then on this machine's loopback and
   * nowhere else), with runc when installed (crun refuses hosts whose cgroups are mounted in hybrid
   * mode), and resource limits this process already has: podman's defaults are higher than an
   * unprivileged sandbox may set.
   */
  private static String[] podman(String verb, String... args) throws IOException {
    var command = new ArrayList<String>(List.of("podman"));
    if (Files.isExecutable(Path.of("/usr/sbin/runc"))
        || Files.isExecutable(Path.of("/usr/bin/runc"))) {
      command.addAll(List.of("--runtime", "runc"));
    }
    command.addAll(List.of(verb, "--network", "host"));
    command.addAll(
        List.of("--ulimit", "nofile=" + openFilesLimit(), "--ulimit", "nproc=4096:4096"));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  /** SOFT:HARD of this process's open-files limit, from /proc/self/limits. */
  private static String openFilesLimit() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        return f[0] + ":" + f[1];
      }
    }
    return "1024:1024";
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
