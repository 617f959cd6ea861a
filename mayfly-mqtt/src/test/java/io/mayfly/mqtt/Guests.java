package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Checkout;
import java.util.Optional;

/** The C test actors of testdata/guests (probe.c is scriptable: see the comment at its top). */
final class Guests {
  static final byte[] PROBE = Checkout.guest("probe");
  static final byte[] SENSOR = Checkout.guest("sensor");

  private Guests() {}

  /** The value of one state key, read without touching the actor's TTL. */
  static Optional<String> peek(Mayfly node, String address, String key) {
    return node.state(Address.parse(address))
        .map(s -> s.entries().get(key))
        .map(e -> new String(e.value(), UTF_8));
  }
}
