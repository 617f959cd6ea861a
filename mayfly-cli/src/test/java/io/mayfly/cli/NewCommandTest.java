package io.mayfly.cli;

import static io.mayfly.cli.ClientVerbsTest.mayfly;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mayfly new} for each language: the project builds with the real toolchain, its module
 * answers on an embedded node, and its own test.sh passes against a node it starts with {@code
 * mayfly run}. A language whose toolchain is absent is skipped, saying what is missing (CI installs
 * them all: .ci/run).
 */
class NewCommandTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String NAME = "greeter";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"c, ''", "c, --wasi", "rust, ''", "rust, --wasi", "assemblyscript, ''"})
  void aNewProjectBuildsAnswersAndPassesItsOwnTest(
      String lang, String buildOption, @TempDir Path tmp) throws Exception {
    Path project = tmp.resolve(NAME);
    ClientVerbsTest.Run created = mayfly("new", NAME, "--lang", lang, "--dir", project.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("created " + project, "./build.sh", "./test.sh");
    assertSelfContained(project);

    Map<String, String> env = toolchain(lang, buildOption);
    List<String> build =
        buildOption.isEmpty() ? List.of("./build.sh") : List.of("./build.sh", buildOption);
    Processes.Result built = Processes.run(project, env, 600, build);
    assertThat(built.exitCode()).as(built.output()).isZero();
    Path wasm = project.resolve("build").resolve(NAME + ".wasm");
    assertThat(wasm).isRegularFile();

    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      node.deploy(NAME, Files.readAllBytes(wasm));
      Address actor = Address.parse(NAME + "/a");
      node.tell(actor, bytes("hello"));
      assertThat(ask(node, actor)).isEqualTo("2");
      assertThat(ask(node, Address.parse(NAME + "/b"))).isEqualTo("1");
    }

    if (!buildOption.isEmpty()) {
      return; // test.sh deploys what build.sh built; the default build's run covers it
    }
    env.put("MAYFLY", mayflyCommand(tmp).toString());
    Processes.Result tested = Processes.run(project, env, 300, List.of("./test.sh"));
    assertThat(tested.exitCode()).as(tested.output()).isZero();
    assertThat(tested.output()).contains("all checks passed").doesNotContain("FAIL");
  }

  @Test
  void aBadNameAnUnknownLanguageAndAnOccupiedDirectoryAreUsageErrors(@TempDir Path tmp)
      throws Exception {
    var badName = mayfly("new", "Greeter!", "--lang", "c", "--dir", tmp.resolve("x").toString());
    assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badName.err()).contains("invalid NAME 'Greeter!'");

    var badLang = mayfly("new", NAME, "--lang", "cobol", "--dir", tmp.resolve("y").toString());
    assertThat(badLang.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badLang.err()).contains("unknown language 'cobol'", "c, rust or assemblyscript");

    Path occupied = Files.createDirectories(tmp.resolve("occupied"));
    Files.writeString(occupied.resolve("keep.txt"), "mine");
    var taken = mayfly("new", NAME, "--lang", "rust", "--dir", occupied.toString());
    assertThat(taken.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(taken.err()).contains("already exists and is not empty");
    assertThat(occupied.resolve("keep.txt")).hasContent("mine");
    try (Stream<Path> files = Files.list(occupied)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void outputJsonNamesTheProjectAndEveryFileWritten(@TempDir Path tmp) throws Exception {
    Path project = tmp.resolve("p");
    var created = mayfly("new", NAME, "--lang", "c", "--dir", project.toString(), "-o", "json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines()).hasSize(1);
    JsonNode doc = NodeClient.MAPPER.readTree(created.out());
    assertThat(doc.path("name").asText()).isEqualTo(NAME);
    assertThat(doc.path("language").asText()).isEqualTo("c");
    assertThat(doc.path("directory").asText()).isEqualTo(project.toString());
    assertThat(doc.path("files")).isNotEmpty();
    for (JsonNode file : doc.path("files")) {
      assertThat(project.resolve(file.asText())).isRegularFile();
    }
    assertThat(doc.path("guide").asText()).isEqualTo("docs/guide-c.md");
  }

  @Test
  void theSdkCopiedIntoAProjectIsTheRepositorysSdk(@TempDir Path tmp) throws Exception {
    for (String lang : List.of("c", "rust", "assemblyscript")) {
      Path project = tmp.resolve(lang);
      assertThat(mayfly("new", NAME, "--lang", lang, "--dir", project.toString()).exitCode())
          .isZero();
      Path sdk = REPO.resolve("sdk").resolve(lang);
      try (Stream<Path> copied = Files.walk(project.resolve("mayfly-sdk"))) {
        for (Path file : copied.filter(Files::isRegularFile).toList()) {
          Path original = sdk.resolve(project.resolve("mayfly-sdk").relativize(file).toString());
          assertThat(file).as("%s", file).hasSameBinaryContentAs(original);
        }
      }
    }
  }

  /** Nothing in the project points into a Mayfly checkout: the SDK is a copy beside the source. */
  private static void assertSelfContained(Path project) throws Exception {
    assertThat(project.resolve("mayfly-sdk")).isDirectory();
    assertThat(project.resolve("test.sh")).isExecutable();
    assertThat(project.resolve("build.sh")).isExecutable();
    try (Stream<Path> files = Files.walk(project)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file);
        assertThat(text).as("%s", file).doesNotContain("../sdk", "@NAME@", "@CRATE@");
      }
    }
  }

  /**
   * The environment build.sh needs on this machine, or the test is skipped naming what is missing.
   */
  private static Map<String, String> toolchain(String lang, String option) throws Exception {
    var env = new HashMap<String, String>();
    switch (lang) {
      case "c" -> {
        require(
            onPath("clang-14") && onPath("wasm-ld-14"),
            "clang-14/wasm-ld-14 not found",
            "apt-get install clang-14 lld-14");
        if (option.equals("--wasi")) {
          require(
              Files.isRegularFile(Path.of("/usr/lib/wasm32-wasi/libc.a"))
                  && !libclangRtWasm32().isEmpty(),
              "wasi-libc or the wasm32 compiler runtime not found",
              "apt-get install wasi-libc libclang-rt-14-dev-wasm32");
        }
      }
      case "rust" -> {
        String target = option.equals("--wasi") ? "wasm32-wasi" : "wasm32-unknown-unknown";
        require(
            Files.isExecutable(Path.of("/usr/bin/cargo"))
                && Files.isDirectory(Path.of("/usr/lib/rustlib", target)),
            "Debian's cargo with the " + target + " std not found",
            "apt-get install rustc cargo libstd-rust-dev-wasm32");
        env.put("CARGO", "/usr/bin/cargo");
        env.put("RUSTC", "/usr/bin/rustc");
      }
      case "assemblyscript" -> {
        Path asc = REPO.resolve("sdk/assemblyscript/node_modules/.bin/asc");
        require(
            onPath("node") && Files.isExecutable(asc),
            "node or " + asc + " not found",
            "install node >= 20, then run 'npm ci' in sdk/assemblyscript");
        env.put("ASC", asc.toString());
      }
      default -> throw new IllegalArgumentException(lang);
    }
    return env;
  }

  private static String libclangRtWasm32() throws Exception {
    if (!onPath("clang-14")) {
      return "";
    }
    Processes.Result r =
        Processes.run(
            Path.of("."),
            Map.of(),
            60,
            List.of("clang-14", "--target=wasm32-wasi", "-print-libgcc-file-name"));
    String path = r.output().strip();
    return r.exitCode() == 0 && Files.isRegularFile(Path.of(path)) ? path : "";
  }

  private static void require(boolean present, String missing, String install) {
    if (!present) {
      String reason = "skipped: " + missing + " (" + install + ")";
      System.out.println("NewCommandTest " + reason);
      Assumptions.abort(reason);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** A {@code mayfly} executable for test.sh: this JVM's Java on this test's classpath. */
  private static Path mayflyCommand(Path dir) throws Exception {
    Path script = dir.resolve("mayfly");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        script,
        "#!/usr/bin/env bash\nexec '"
            + java
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' io.mayfly.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static String ask(Mayfly node, Address actor) throws Exception {
    byte[] reply =
        node.ask(actor, bytes("hello"), Duration.ofSeconds(10))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new String(reply, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
