package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly completion bash}, sourced in a real bash that is asked to complete. */
class CompletionCommandTest {

  /** What bash offers for the words of a command line, the last one being completed. */
  private static List<String> complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String program =
        "source "
            + script
            + "\nCOMP_WORDS=("
            + line
            + ")\nCOMP_CWORD="
            + (words.length - 1)
            + "\nCOMP_LINE='"
            + line
            + "'\nCOMP_POINT=${#COMP_LINE}\n"
            + "fn=$(complete -p mayfly | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
            + "$fn mayfly '"
            + words[words.length - 1]
            + "' '"
            + (words.length > 1 ? words[words.length - 2] : "")
            + "'\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process bash =
        new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
            // Outside a real completion bash warns that compopt has nothing to do: not a result.
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    bash.getOutputStream().close();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void theBashScriptCompletesVerbsOptionsAndValues(@TempDir Path dir) throws Exception {
    ClientVerbsTest.Run r = ClientVerbsTest.mayfly("completion", "bash");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path script = dir.resolve("mayfly-completion.bash");
    Files.writeString(script, r.out());

    assertThat(complete(script, "mayfly", "dep")).containsExactly("deploy");
    assertThat(complete(script, "mayfly", "sh")).containsExactly("shared");
    assertThat(complete(script, "mayfly", "deploy", "--turn")).containsExactly("--turn-timeout");
    assertThat(complete(script, "mayfly", "types", "-o", "")).contains("text", "json");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    ClientVerbsTest.Run r = ClientVerbsTest.mayfly("completion", "fish");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("fish");
  }
}
