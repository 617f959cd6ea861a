package io.mayfly.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mayfly new NAME --lang LANG}: scaffolds an actor project from the templates and SDK
 * sources the jar carries ({@code io/mayfly/cli/scaffold/} and {@code io/mayfly/cli/sdk/}, copied
 * from mayfly-cli/src/main/scaffold and sdk/ by the build).
 */
@Command(
    name = "new",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Creates an actor project: the actor's source on the language's SDK (copied into the"
          + " project), build.sh, and test.sh, which starts a node with `mayfly run`, deploys the"
          + " actor, asks it and checks the replies.",
      "The actor counts the messages it receives in its state and answers an ask with the count."
    },
    footer = ExitCodes.FOOTER,
    usageHelpAutoWidth = true)
final class NewCommand implements Callable<Integer> {
  /** Actor type names the scaffold accepts: also a crate and package name in every language. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description =
          "The actor type and the project's name: a lowercase letter, then up to 63 lowercase"
              + " letters, digits, '_' or '-'.")
  String name;

  @Option(
      names = "--lang",
      required = true,
      paramLabel = "LANG",
      description = "The language: c, rust or assemblyscript.")
  String lang;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to create the project (default: ./NAME); must not exist or be empty.")
  Path dir;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Language language = Language.parse(lang);
    if (language == null) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown language '" + lang + "' for --lang: choose c, rust or assemblyscript");
    }
    if (!NAME.matcher(name).matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "invalid NAME '"
              + name
              + "': a lowercase letter, then up to 63 lowercase letters, digits, '_' or '-'");
    }
    Path target = dir != null ? dir : Path.of(name);
    if (!isEmptyOrAbsent(target)) {
      throw new ParameterException(
          spec.commandLine(),
          "directory " + target + " already exists and is not empty; choose another NAME or --dir");
    }
    List<Path> written = language.scaffold(name, target);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      ObjectNode doc =
          NodeClient.MAPPER
              .createObjectNode()
              .put("name", name)
              .put("language", language.id)
              .put("directory", target.toString());
      ArrayNode files = doc.putArray("files");
      written.forEach(p -> files.add(target.relativize(p).toString()));
      doc.put("guide", guide(language.id));
      OutputOptions.printJson(out, doc);
      out.flush();
      return ExitCodes.OK;
    }
    out.println("created " + target + " (" + language.title + " actor '" + name + "'):");
    written.forEach(p -> out.println("  " + target.relativize(p)));
    out.println("next:");
    out.println("  cd " + target);
    language.firstStep().ifPresent(step -> out.println("  " + step));
    out.println("  ./build.sh        # builds build/" + name + ".wasm");
    out.println("  ./test.sh         # starts a node, deploys, asks, checks the replies");
    out.println("guide: " + guide(language.id));
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * The language's guide: the copy installed in the distribution's docs/ when this runs from one
   * ({@code bin/mayfly} passes its directory as {@code mayfly.home}), else the guide's place in a
   * source checkout.
   */
  static String guide(String languageId) {
    String name = "docs/guide-" + languageId + ".md";
    String home = System.getProperty("mayfly.home");
    if (home != null) {
      Path installed = Path.of(home).resolve(name);
      if (Files.isRegularFile(installed)) {
        return installed.toAbsolutePath().normalize().toString();
      }
    }
    return name;
  }

  private static ClientException cannot(String what, IOException e) {
    return new ClientException(
        "io_error", "cannot " + what + ": " + e.getMessage(), ExitCodes.NODE_ERROR, e);
  }

  private static boolean isEmptyOrAbsent(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw cannot("read " + dir, e);
    }
  }

  /** A scaffold: its templates and the SDK files it copies, each as (resource, path in project). */
  enum Language {
    C("c", "C", List.of("@NAME@.c", "build.sh", "README.md", "gitignore"), List.of("c/mayfly.h")),
    RUST(
        "rust",
        "Rust",
        List.of("Cargo.toml", "src/lib.rs", "build.sh", "README.md", "gitignore"),
        List.of("rust/Cargo.toml", "rust/src/lib.rs", "rust/src/sys.rs", "rust/src/__rt.rs")),
    ASSEMBLYSCRIPT(
        "assemblyscript",
        "AssemblyScript",
        List.of("assembly/index.ts", "package.json", "build.sh", "README.md", "gitignore"),
        List.of(
            "assemblyscript/package.json",
            "assemblyscript/assembly/index.ts",
            "assemblyscript/assembly/sys.ts"));

    private static final String SCAFFOLD = "scaffold/";
    private static final String SDK = "sdk/";
    private static final String SDK_DIR = "mayfly-sdk";

    final String id;
    final String title;
    private final List<String> templates;
    private final List<String> sdkFiles;

    Language(String id, String title, List<String> templates, List<String> sdkFiles) {
      this.id = id;
      this.title = title;
      this.templates = templates;
      this.sdkFiles = sdkFiles;
    }

    static Language parse(String id) {
      return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst().orElse(null);
    }

    Optional<String> firstStep() {
      return this == ASSEMBLYSCRIPT
          ? Optional.of("npm install       # once: the AssemblyScript compiler")
          : Optional.empty();
    }

    /** Writes the project into {@code target}; returns the files written, in order. */
    List<Path> scaffold(String name, Path target) {
      var written = new ArrayList<Path>();
      for (String template : templates) {
        String text = substitute(read(SCAFFOLD + id + "/" + template), name);
        written.add(write(target.resolve(projectPath(template, name)), text));
      }
      written.add(
          write(target.resolve("test.sh"), substitute(read(SCAFFOLD + "common/test.sh"), name)));
      for (String file : sdkFiles) {
        Path inSdk = Path.of(file.substring(file.indexOf('/') + 1));
        written.add(write(target.resolve(SDK_DIR).resolve(inSdk), readBytes(SDK + file)));
      }
      return written;
    }

    private static final Charset UTF8 = StandardCharsets.UTF_8;

    private static String projectPath(String template, String name) {
      return template.equals("gitignore") ? ".gitignore" : template.replace("@NAME@", name);
    }

    private static String substitute(String template, String name) {
      return template.replace("@NAME@", name).replace("@CRATE@", name.replace('-', '_'));
    }

    private static Path write(Path file, String text) {
      return write(file, text.getBytes(UTF8));
    }

    private static Path write(Path file, byte[] bytes) {
      try {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        if (file.getFileName().toString().endsWith(".sh")) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return file;
      } catch (IOException e) {
        throw cannot("write " + file, e);
      }
    }

    private static String read(String resource) {
      return new String(readBytes(resource), UTF8);
    }

    private static byte[] readBytes(String resource) {
      try (InputStream in = NewCommand.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the mayfly jar lacks its resource " + resource);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw cannot("read the resource " + resource + " of the mayfly jar", e);
      }
    }
  }
}
