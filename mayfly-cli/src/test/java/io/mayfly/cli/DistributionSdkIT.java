package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution carries the guest SDKs in sdk/ and the documentation in docs/, and its
 * bin/mayfly scaffolds a project with the SDK copied from the jar and names the installed guide, as
 * someone who installed it would write an actor.
 */
class DistributionSdkIT {
  private static final Path DIST = Path.of(System.getProperty("mayfly.dist", "missing"));
  private static final Path REPO_SDK = Path.of("..", "sdk").toAbsolutePath().normalize();
  private static final Path REPO_DOCS = Path.of("..", "docs").toAbsolutePath().normalize();

  @Test
  void theDistributionShipsTheSdksAndItsMayflyNewCopiesThem(@TempDir Path dir) throws Exception {
    assertThat(DIST).as("the distribution (run through failsafe after package)").isRegularFile();
    var untar = Processes.run(dir, Map.of(), 60, List.of("tar", "xzf", DIST.toString()));
    assertThat(untar.exitCode()).as(untar.output()).isZero();
    Path home = dir.resolve("mayfly-" + System.getProperty("mayfly.version"));

    for (String file :
        List.of(
            "c/mayfly.h",
            "c/README.md",
            "rust/Cargo.toml",
            "rust/src/lib.rs",
            "rust/src/sys.rs",
            "rust/src/__rt.rs",
            "assemblyscript/package.json",
            "assemblyscript/assembly/index.ts",
            "assemblyscript/assembly/sys.ts")) {
      assertThat(home.resolve("sdk").resolve(file))
          .as(file)
          .hasSameBinaryContentAs(REPO_SDK.resolve(file));
    }
    try (Stream<Path> all = Files.walk(home.resolve("sdk"))) {
      assertThat(all.map(Path::toString)).noneMatch(p -> p.contains("node_modules"));
    }

    Path project = dir.resolve("counter");
    var created =
        Processes.run(
            dir,
            Map.of(),
            60,
            List.of(
                home.resolve("bin/mayfly").toString(),
                "new",
                "counter",
                "--lang",
                "rust",
                "--dir",
                project.toString()));
    assertThat(created.exitCode()).as(created.output()).isZero();
    // The guide it names is the installed one, next to bin/.
    Path guide = home.resolve("docs/guide-rust.md");
    assertThat(guide).hasSameBinaryContentAs(REPO_DOCS.resolve("guide-rust.md"));
    assertThat(created.output()).contains("guide: " + guide.toAbsolutePath().normalize());
    assertThat(home.resolve("docs/abi.md")).hasSameBinaryContentAs(REPO_DOCS.resolve("abi.md"));
    assertThat(project.resolve("mayfly-sdk/src/lib.rs"))
        .hasSameBinaryContentAs(REPO_SDK.resolve("rust/src/lib.rs"));
    assertThat(project.resolve("src/lib.rs")).content().contains("mayfly::handler!(handle);");
  }
}
