package io.mayfly.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mayfly.wasm.MayflyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code mayfly} command. Each verb is a subcommand class of its own, listed in {@link
 * Command#subcommands()} below.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 success, 1 error reported by the node, 2 usage error, 3
 * cannot connect to the node, 4 ask timed out.
 */
@Command(
    name = "mayfly",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mayfly: a runtime for short-term stateful actors written in WebAssembly.",
    subcommands = {
      RunCommand.class,
      DeployCommand.class,
      UndeployCommand.class,
      TypesCommand.class,
      SendCommand.class,
      AskCommand.class,
      StateCommand.class,
      ActorsCommand.class,
      TailCommand.class,
      SharedCommand.class,
      ClusterCommand.class,
      DemoCommand.class,
      NewCommand.class,
      RecordCommand.class,
      RecordingsCommand.class,
      ReplayCommand.class,
      TestCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
public final class Main implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Creates the top command; picocli fills in its options. */
  public Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the error reporting of the {@code mayfly} executable. */
  static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The same, with the commands made by {@code factory} (tests hold on to a running command). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(new Main(), factory)
        // DATA|@file arguments are read by the verbs themselves, byte for byte: picocli's own
        // @argfile expansion would split a text file into words and drop binary content.
        .setExpandAtFiles(false)
        .setParameterExceptionHandler(Main::reportUsageError)
        .setExecutionExceptionHandler(Main::reportError);
  }

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command (commands: " + String.join(", ", spec.subcommands().keySet()) + ")");
  }

  /** A usage error: what was wrong and where to read more (the whole usage is a screen long). */
  private static int reportUsageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println(
        "Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Errors Mayfly raises carry a message meant for the user; anything else is a bug and keeps its
   * stack trace.
   */
  private static int reportError(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String command = commandLine.getCommandSpec().qualifiedName();
    if (e instanceof ClientException c) {
      err.println(command + ": " + c.getMessage() + " (" + c.code() + ")");
      err.flush();
      return c.exitCode();
    }
    if (e instanceof MayflyException m) {
      err.println(command + ": " + m.getMessage() + " (" + m.code() + ")");
    } else {
      err.println(command + ": unexpected error, please report it:");
      e.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  /** The project version, filtered into {@code version.txt} by the build. */
  static String projectVersion() {
    try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
      return in == null ? "(unknown version)" : new String(in.readAllBytes(), UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.txt", e);
    }
  }

  /** The version option's text. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "mayfly " + projectVersion(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
