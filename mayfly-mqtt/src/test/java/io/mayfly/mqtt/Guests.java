package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The C test actors of testdata/guests (probe.c is scriptable: see the comment at its top). */
final class Guests {
  static final byte[] PROBE = guest("probe");
  static final byte[] SENSOR = guest("sensor");

  private Guests() {}

  static byte[] guest(String name) {
    Path path = Path.of("..", "testdata", "guests", "wasm", name + ".wasm");
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("build the guests with testdata/guests/build.sh", e);
    }
  }

  /** The value of one state key, read without touching the actor's TTL. */
  static Optional<String> peek(Mayfly node, String address, String key) {
    return node.state(Address.parse(address))
        .map(s -> s.entries().get(key))
        .map(e -> new String(e.value(), UTF_8));
  }
}
