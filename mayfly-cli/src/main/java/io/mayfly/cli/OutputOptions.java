package io.mayfly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -o/--output text|json}, shared by the verbs that print what a node answered. */
final class OutputOptions {
  /** How a verb prints its result. */
  enum Format {
    /** Lines for people (the default). */
    TEXT,
    /** One JSON document per line, for scripts. */
    JSON
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = FormatNames.class,
      completionCandidates = FormatNames.class,
      description = "text (default) or json: one JSON document per line, for scripts.")
  Format format = Format.TEXT;

  boolean json() {
    return format == Format.JSON;
  }

  /** Prints a JSON document on one line. */
  static void printJson(PrintWriter out, JsonNode document) {
    try {
      out.println(NodeClient.MAPPER.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  /** {@code text} and {@code json}. */
  static final class FormatNames extends EnumNames<Format> {
    FormatNames() {
      super(Format.class);
    }
  }
}
