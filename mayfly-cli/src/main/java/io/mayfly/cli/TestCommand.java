package io.mayfly.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.testkit.Recording;
import io.mayfly.testkit.Replay;
import io.mayfly.testkit.TurnComparison;
import io.mayfly.wasm.MayflyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mayfly test RECORDING... [--module FILE.wasm]}: checks a module against recorded turns.
 * Exit 0 when every turn reproduces, 1 when any differs, 2 on a usage error.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Replays every turn of the recording files (docs/recordings.md) against a module and"
            + " checks that each does exactly what was recorded: state, sends, asks, replies,"
            + " publications, timers, subscriptions, logs and outcome. Without --module each turn"
            + " runs the module the recording carries. Exit 0 when every turn reproduces, 1 when"
            + " any differs (the differences are printed), 2 on a usage error.",
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class TestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RECORDING", description = "Recording files.")
  List<Path> recordings;

  @Option(names = "--module", paramLabel = "FILE.wasm", description = "The module to check.")
  Path module;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    byte[] code = module == null ? null : readModule(spec, module);
    int failed = 0;
    int total = 0;
    ArrayNode files = NodeClient.MAPPER.createArrayNode();
    for (Path file : recordings) {
      Recording r = load(spec, file);
      List<TurnComparison> results =
          code != null ? compareAll(spec, r.turns(), code) : replayCarried(spec, file, r);
      ArrayNode failures = NodeClient.MAPPER.createArrayNode();
      for (int i = 0; i < results.size(); i++) {
        TurnComparison c = results.get(i);
        if (!c.reproduced()) {
          ObjectNode f =
              failures
                  .addObject()
                  .put("turn", i + 1)
                  .put("kind", c.recorded().kind().name())
                  .put("address", c.recorded().address().toString());
          c.differences().forEach(f.putArray("differences")::add);
          if (!output.json()) {
            out.println(
                "FAIL "
                    + file
                    + " turn "
                    + (i + 1)
                    + " ("
                    + c.recorded().kind()
                    + " to "
                    + c.recorded().address()
                    + "):");
            c.differences().forEach(d -> out.println("  " + d));
          }
        }
      }
      if (failures.isEmpty() && !output.json()) {
        out.println("ok   " + file + ": " + results.size() + " turn(s) reproduced");
      }
      ObjectNode f =
          files
              .addObject()
              .put("file", file.toString())
              .put("turns", results.size())
              .put("differing", failures.size());
      f.set("failures", failures);
      failed += failures.size();
      total += results.size();
    }
    if (output.json()) {
      ObjectNode doc =
          NodeClient.MAPPER
              .createObjectNode()
              .put("reproduced", failed == 0)
              .put("turns", total)
              .put("differing", failed);
      doc.set("files", files);
      OutputOptions.printJson(out, doc);
    } else {
      out.println(
          failed == 0
              ? "all " + total + " turn(s) reproduced"
              : failed + " of " + total + " turn(s) differ");
    }
    out.flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.NODE_ERROR;
  }

  private static List<TurnComparison> replayCarried(CommandSpec spec, Path file, Recording r) {
    try {
      return r.replay();
    } catch (MayflyException e) {
      throw new ParameterException(
          spec.commandLine(), file + ": " + e.getMessage() + "; give --module");
    }
  }

  private static List<TurnComparison> compareAll(
      CommandSpec spec, List<TurnRecord> turns, byte[] code) {
    try {
      return Replay.compare(turns, code);
    } catch (MayflyException e) {
      throw new ParameterException(spec.commandLine(), "cannot run the module: " + e.getMessage());
    }
  }

  /** Reads a recording file; an unreadable or invalid one is a usage error. */
  static Recording load(CommandSpec spec, Path file) {
    try {
      return Recording.load(file);
    } catch (MayflyException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static Recording load(ClientVerb verb, Path file) {
    return load(verb.spec, file);
  }

  static byte[] readModule(CommandSpec spec, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "no such file: " + file);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
    }
  }

  static byte[] readModule(ClientVerb verb, Path file) {
    return readModule(verb.spec, file);
  }
}
