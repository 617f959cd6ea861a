package io.mayfly.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Installed programs are found by name; a missing one fails with the hint given. */
class ProgramsTest {
  @Test
  void anInstalledProgramIsFoundAsAnExecutableFile() {
    assertThat(Programs.find("sh"))
        .hasValueSatisfying(
            path -> {
              assertThat(path.getFileName()).hasToString("sh");
              assertThat(Files.isExecutable(path)).isTrue();
            });
  }

  @Test
  void aMissingProgramIsNotFound() {
    assertThat(Programs.find("no-such-program-here")).isEmpty();
    assertThatThrownBy(() -> Programs.require("no-such-program-here", "install the package x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("'no-such-program-here' is not installed; install the package x");
  }
}
