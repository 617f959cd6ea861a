package io.mayfly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Durations;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.wasm.MayflyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What the verbs that talk to a running node share: options, argument parsing, output. */
abstract class ClientVerb implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClientOptions client;

  @Mixin OutputOptions output;

  @Override
  public final Integer call() {
    run(client.client());
    out().flush();
    return ExitCodes.OK;
  }

  /** Does the verb's work; errors are {@link ClientException}s or usage errors. */
  abstract void run(NodeClient node);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Whether {@code -o json} was given. */
  boolean json() {
    return output.json();
  }

  /** Prints a JSON document on one line. */
  void printJson(JsonNode document) {
    OutputOptions.printJson(out(), document);
  }

  /** A new JSON object to print with {@link #printJson}. */
  static ObjectNode object() {
    return NodeClient.MAPPER.createObjectNode();
  }

  /** Bytes as JSON: {@code base64}, plus {@code utf8} when they are printable text. */
  static ObjectNode bytes(ObjectNode node, byte[] bytes) {
    node.put("base64", Base64.getEncoder().encodeToString(bytes));
    String text = printable(bytes);
    if (text != null) {
      node.put("utf8", text);
    }
    return node;
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A {@code TYPE/ID} argument, as a path {@code /v1/actors/TYPE/ID}. */
  String actorPath(String address) {
    Address a;
    try {
      a = Address.parse(address);
    } catch (MayflyException e) {
      throw usage("bad actor address: " + e.getMessage());
    }
    return "/v1/actors/" + NodeClient.segment(a.type()) + "/" + NodeClient.segment(a.id());
  }

  /**
   * Checks a duration option before it goes to the node, so that a typo is a usage error (exit 2)
   * naming the option; {@code null} stays {@code null}.
   */
  String duration(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      Durations.parse(value);
    } catch (InvalidConfigException e) {
      throw usage(option + ": " + e.getMessage());
    }
    return value;
  }

  /**
   * A {@code DATA|@file} argument: the text itself, {@code @path} a file's bytes, {@code @-} stdin.
   */
  byte[] payload(String data) {
    if (data == null) {
      return new byte[0];
    }
    if (!data.startsWith("@")) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    String file = data.substring(1);
    try {
      return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw usage("no such file: " + file);
    } catch (IOException e) {
      throw usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * Prints bytes as a line: as text when they are printable UTF-8, otherwise as {@code base64:...}.
   */
  void printBytes(byte[] bytes) {
    String text = printable(bytes);
    out().println(text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes));
  }

  static String printable(byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        return null;
      }
    }
    return text;
  }
}
