package io.mayfly.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mayfly.testing.Checkout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The scriptable C actor of testdata/guests/c/probe.c and helpers to drive it. Its scripts are
 * documented at the top of probe.c.
 */
final class Probe {
  private Probe() {}

  static final byte[] WASM = Checkout.guest("probe");

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, UTF_8);
  }

  /** Asks and returns the reply text; rethrows the failure unwrapped. */
  static String ask(Mayfly node, String address, String script) {
    try {
      return text(
          node.ask(Address.parse(address), bytes(script), Duration.ofSeconds(30))
              .toCompletableFuture()
              .join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  static void tell(Mayfly node, String address, String script) {
    node.tell(Address.parse(address), bytes(script));
  }

  /** The value of one key, read without touching the actor's TTL. */
  static Optional<String> peek(Mayfly node, String address, String key) {
    return node.state(Address.parse(address))
        .map(s -> s.entries().get(key))
        .map(e -> text(e.value()));
  }

  /** A condition on a node's counters. */
  @FunctionalInterface
  interface StatsCheck {
    boolean test(NodeStats stats);
  }

  /** A node running turns on the calling thread with a manual clock. */
  static Mayfly syncNode(ManualClock clock) {
    return Mayfly.builder().synchronous(true).clock(clock).build();
  }
}
