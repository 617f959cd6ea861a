package io.mayfly.cli;

import picocli.CommandLine.Option;

/** {@code --idempotency-key KEY} of {@code send} and {@code ask}. */
final class IdempotencyKeyOption {
  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description =
          "Sent as the Idempotency-Key header: a retry with the same KEY within the node's"
              + " idempotency window is handled once (1-128 printable ASCII characters).")
  String key;
}
