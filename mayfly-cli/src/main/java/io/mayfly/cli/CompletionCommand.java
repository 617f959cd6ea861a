package io.mayfly.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mayfly completion bash}: prints the shell completion script. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Prints a completion script for the shell: verbs, options and file names.",
      "bash: source <(mayfly completion bash), or save it as"
          + " /etc/bash_completion.d/mayfly. zsh: autoload -U +X bashcompinit && bashcompinit,"
          + " then the same."
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class CompletionCommand implements Callable<Integer> {
  /** The shells a script can be printed for. */
  enum Shell {
    /** bash, and zsh through bashcompinit */
    BASH
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SHELL",
      converter = ShellNames.class,
      completionCandidates = ShellNames.class,
      description = "The shell: bash.")
  Shell shell;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("mayfly", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** {@code bash}. */
  static final class ShellNames extends EnumNames<Shell> {
    ShellNames() {
      super(Shell.class);
    }
  }
}
