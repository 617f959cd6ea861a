package io.mayfly.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mayfly shared put KEY DATA|@file} and {@code mayfly shared rm KEY}: {@code PUT} and {@code
 * DELETE /v1/shared/KEY}, the read-only data actors read with {@code shared_get}.
 */
@Command(
    name = "shared",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Puts or removes shared data (read-only bytes every actor reads with shared_get, e.g."
            + " model weights) on a running node. Needs the admin token when the node has tokens.",
    subcommands = {SharedCommand.Put.class, SharedCommand.Remove.class},
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class SharedCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command (commands: put, rm)");
  }

  /** The path of a key, percent-encoded with its '/' kept. */
  static String path(String key) {
    return "/v1/shared/" + NodeClient.topic(key);
  }

  /** {@code mayfly shared put KEY DATA|@file}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Puts shared data under a key, replacing what was there.",
      footer = ExitCodes.FOOTER,
      usageHelpAutoWidth = true)
  static final class Put extends ClientVerb {
    @Parameters(
        index = "0",
        paramLabel = "KEY",
        description = "The key: 1-256 bytes of UTF-8, may contain '/'.")
    String key;

    @Parameters(
        index = "1",
        paramLabel = "DATA|@file",
        description = "The value: text, @path for a file's bytes, @- for stdin.")
    String data;

    @Override
    void run(NodeClient node) {
      byte[] value = payload(data);
      node.send("PUT", path(key), value, "application/octet-stream");
      if (json()) {
        printJson(object().put("key", key).put("bytes", value.length));
      } else {
        out().println("put " + key + " (" + value.length + " bytes)");
      }
    }
  }

  /** {@code mayfly shared rm KEY}. */
  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Removes shared data; a key that is not there is a node error (not_found).",
      footer = ExitCodes.FOOTER,
      usageHelpAutoWidth = true)
  static final class Remove extends ClientVerb {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Override
    void run(NodeClient node) {
      node.send("DELETE", path(key), null, null);
      if (json()) {
        printJson(object().put("key", key).put("removed", true));
      } else {
        out().println("removed " + key);
      }
    }
  }
}
