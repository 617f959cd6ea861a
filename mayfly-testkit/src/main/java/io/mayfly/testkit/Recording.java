package io.mayfly.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mayfly.runtime.TurnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded turns as a file (docs/recordings.md): one turn, or a run of an actor's turns, with the
 * modules they ran if the exporter included them. A recording is a regression test in any language:
 * load it, replay it against a module, and assert that every turn reproduces.
 *
 * <pre>{@code
 * @Test
 * void theFixedModuleStillDoesWhatTheRecordedOneDid() throws IOException {
 *   Recording.load(Path.of("src/test/resources/counter-run.json"))
 *       .assertReproducedBy(Files.readAllBytes(Path.of("target/counter.wasm")));
 * }
 * }</pre>
 */
public final class Recording {
  private final List<TurnRecord> turns;
  private final Map<String, byte[]> modules;

  private Recording(List<TurnRecord> turns, Map<String, byte[]> modules) {
    this.turns = List.copyOf(turns);
    this.modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
  }

  /** A recording of these turns, without modules. */
  public static Recording of(List<TurnRecord> turns) {
    return new Recording(turns, Map.of());
  }

  /** A recording of these turns with the modules they ran, by SHA-256. */
  public static Recording of(List<TurnRecord> turns, Map<String, byte[]> modules) {
    return new Recording(turns, modules);
  }

  /**
   * Reads a recording file.
   *
   * @throws TestKitException if the file cannot be read or is not a recording this version reads
   */
  public static Recording load(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new TestKitException("cannot read recording " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a recording from its JSON bytes.
   *
   * @throws TestKitException if they are not a recording this version reads
   */
  public static Recording parse(byte[] json) {
    JsonNode doc;
    try {
      doc = RecordingCodec.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new TestKitException("invalid recording: not JSON: " + e.getMessage(), e);
    }
    if (doc == null) {
      throw new TestKitException("invalid recording: empty");
    }
    var modules = new LinkedHashMap<String, byte[]>();
    List<TurnRecord> turns = RecordingCodec.turns(doc, modules);
    return new Recording(turns, modules);
  }

  /** The turns, in the order they ran. */
  public List<TurnRecord> turns() {
    return turns;
  }

  /** The bytes of the module with this SHA-256, if the recording carries it. */
  public Optional<byte[]> module(String sha256) {
    return Optional.ofNullable(modules.get(sha256)).map(byte[]::clone);
  }

  /** The recording as JSON, in the documented format. */
  public byte[] toJson() {
    try {
      return RecordingCodec.MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(RecordingCodec.document(turns, modules));
    } catch (JsonProcessingException e) {
      throw new TestKitException("cannot write recording: " + e.getMessage(), e);
    }
  }

  /** Writes the recording to a file. */
  public void save(Path file) {
    try {
      Files.write(file, toJson());
    } catch (IOException e) {
      throw new TestKitException("cannot write recording " + file + ": " + e.getMessage(), e);
    }
  }

  /** Replays every turn against {@code module}, each on its own, and compares each. */
  public List<TurnComparison> replay(byte[] module) {
    return Replay.compare(turns, module);
  }

  /**
   * Replays every turn against the module it ran, which the recording must carry.
   *
   * @throws TestKitException if a turn's module is not in the recording
   */
  public List<TurnComparison> replay() {
    var out = new ArrayList<TurnComparison>();
    for (TurnRecord t : turns) {
      String sha = t.type().module().sha256();
      byte[] module = modules.get(sha);
      if (module == null) {
        throw new TestKitException(
            "the recording does not carry the module of "
                + t.address()
                + " (sha256 "
                + sha
                + "); replay it against a module file");
      }
      out.add(Replay.compare(t, module));
    }
    return out;
  }

  /**
   * Asserts that {@code module} reproduces every recorded turn exactly.
   *
   * @throws AssertionError naming each turn that differs and how
   */
  public void assertReproducedBy(byte[] module) {
    List<TurnComparison> results = replay(module);
    var failures = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      TurnComparison c = results.get(i);
      if (!c.reproduced()) {
        failures.append("\nturn ").append(i + 1).append(" of ").append(results.size());
        failures.append(" (").append(c.recorded().kind()).append(" to ");
        failures.append(c.recorded().address()).append(") differs:");
        c.differences().forEach(d -> failures.append("\n  ").append(d));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("the module does not reproduce the recording:" + failures);
    }
  }
}
