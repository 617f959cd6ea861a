package io.mayfly.bench;

import io.mayfly.testing.Wat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The actor modules the benchmarks run, loaded from this module's resources. */
public final class Guests {
  /** Overrides the packed sensor module with a file, to benchmark a rebuilt one. */
  static final String SENSOR_PROPERTY = "mayfly.bench.sensor";

  private Guests() {}

  /** {@code counter.wat}: an 8-byte counter under one key, incremented by every message. */
  static byte[] counter() {
    return Wat.compile(new String(resource("counter.wat"), StandardCharsets.UTF_8));
  }

  /** {@code holder.wat}: keeps the last message's payload under one key. */
  static byte[] holder() {
    return Wat.compile(new String(resource("holder.wat"), StandardCharsets.UTF_8));
  }

  /**
   * The C sliding-window sensor actor, {@code testdata/guests/wasm/sensor.wasm} as packed at build
   * time, or the file named by the system property {@value #SENSOR_PROPERTY}.
   */
  public static byte[] sensor() {
    String path = System.getProperty(SENSOR_PROPERTY);
    if (path == null) {
      return resource("sensor.wasm");
    }
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sensor module " + path, e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = Guests.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource io/mayfly/bench/" + name + " is missing: rebuild mayfly-bench");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }
}
