package io.mayfly.bench.exchange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two workflow shapes of the exchange workload and their requests, in the protocol of {@code
 * examples/workflow/README.md} (all integers little-endian u32).
 */
enum Shape {
  /** A sequential chain of 5 stages: {@code stage/1} .. {@code stage/5}. */
  CHAIN("chain of 5", "chain"),
  /** A fan-out to 10 workers and the fan-in of their results by a coordinator. */
  FAN_OUT("fan-out/in of 10", "fan-out");

  static final int STAGES = 5;
  static final int WORKERS = 10;

  /** The coordinator's deadline: far beyond any request here, so no answer is ever partial. */
  private static final int DEADLINE_MS = 60_000;

  private final String label;
  private final String shortLabel;

  Shape(String label, String shortLabel) {
    this.label = label;
    this.shortLabel = shortLabel;
  }

  /** The name in the tables. */
  String label() {
    return label;
  }

  /** The name under a plot's bars. */
  String shortLabel() {
    return shortLabel;
  }

  /** The client's request for this shape carrying {@code data}. */
  byte[] request(byte[] data) {
    return switch (this) {
      case CHAIN -> header(4 + data.length).putInt(STAGES).put(data).array();
      case FAN_OUT ->
          header(12 + data.length).putInt(WORKERS).putInt(DEADLINE_MS).putInt(0).put(data).array();
    };
  }

  private static ByteBuffer header(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
