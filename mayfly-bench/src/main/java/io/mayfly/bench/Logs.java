package io.mayfly.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the runtime's INFO lines (one per deploy) out of the benchmark output. */
public final class Logs {
  /** Held so the level is not lost when the logger is collected. */
  private static final Logger MAYFLY = Logger.getLogger("io.mayfly");

  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  private Logs() {}

  /** Sets the runtime's loggers, and those of the cluster's Hazelcast members, to WARNING. */
  public static void quiet() {
    MAYFLY.setLevel(Level.WARNING);
    HAZELCAST.setLevel(Level.WARNING);
  }
}
