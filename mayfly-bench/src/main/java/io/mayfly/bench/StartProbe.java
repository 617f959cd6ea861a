package io.mayfly.bench;

import io.mayfly.bench.suite.ProbeLine;
import io.mayfly.bench.suite.Processes;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The start probe: what a fresh JVM takes to become a node that has handled a message, and what a
 * deploy costs. Run in a JVM of its own by the start workload; prints one {@link ProbeLine}.
 *
 * <ul>
 *   <li>{@code StartProbe first-message}: the embedded node as a user's program starts it. Notes
 *       {@link System#nanoTime()} when {@code main} begins (the JVM is up), when the node is built
 *       ({@code Mayfly.builder().build()}, workers = cores), when {@code sensor.wasm} is deployed,
 *       and when the reply to the first ask (a 64-byte reading to {@code sensor/s-1}) is back, i.e.
 *       its turn has been handled ({@code mayfly-probe start ...}). On Linux {@code nanoTime} is
 *       the system-wide monotonic clock, so the workload compares these stamps with its own from
 *       just before it started the process.
 *   <li>{@code StartProbe deploy FILE warm=N}: a node deploys the module in FILE first (cold: the
 *       first deploy in this JVM), checks one message to it is handled, then deploys it N more
 *       times under new type names (warm), each timed around {@code node.deploy}: validation,
 *       compilation to JVM bytecode and the first instance ({@code mayfly-probe deploy ...}).
 * </ul>
 */
public final class StartProbe {
  /** The result line of {@code first-message}. */
  public static final String START = "start";

  /** The result line of {@code deploy}. */
  public static final String DEPLOY = "deploy";

  private StartProbe() {}

  /** {@code first-message}, or {@code deploy FILE warm=N}. */
  public static void main(String[] args) {
    long main = System.nanoTime(); // first: the moment the JVM runs our code
    if (args.length == 1 && args[0].equals("first-message")) {
      firstMessage(main).print();
    } else if (args.length == 3 && args[0].equals("deploy") && args[2].startsWith("warm=")) {
      deploy(Path.of(args[1]), Integer.parseInt(args[2].substring("warm=".length()))).print();
    } else {
      throw new IllegalArgumentException(
          "usage: StartProbe first-message | StartProbe deploy FILE warm=N; was "
              + Arrays.toString(args));
    }
  }

  /** Builds a node, deploys the sensor actor and asks it once; the stamps of each step. */
  static ProbeLine firstMessage(long main) {
    Logs.quiet();
    try (Mayfly node = Mayfly.builder().build()) {
      long built = System.nanoTime();
      node.deploy("sensor", Guests.sensor());
      long deployed = System.nanoTime();
      byte[] reply =
          node.ask(Address.of("sensor", "s-1"), reading(20.5)).toCompletableFuture().join();
      long replied = System.nanoTime();
      if (reply.length != 16) {
        throw new IllegalStateException(
            "the sensor actor answered " + reply.length + " bytes to an ask, not 16 (mean, count)");
      }
      return ProbeLine.named(START)
          .put("main", main)
          .put("node", built)
          .put("deployed", deployed)
          .put("replied", replied)
          .put("rss", Processes.ownRssBytes());
    }
  }

  /** A cold deploy of the module, a message to it, then {@code warm} timed deploys. */
  static ProbeLine deploy(Path file, int warm) {
    if (warm < 1) {
      throw new IllegalArgumentException("warm must be at least 1, was " + warm);
    }
    Logs.quiet();
    byte[] module;
    try {
      module = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the module to deploy, " + file, e);
    }
    try (Mayfly node = Mayfly.builder().build()) {
      long start = System.nanoTime();
      TypeInfo info = node.deploy("large-0", module);
      long cold = System.nanoTime() - start;
      Activations.activate(node, Activations.fresh("large-0", 0, 1), new byte[8]);
      long[] times = new long[warm];
      for (int i = 0; i < warm; i++) {
        String type = "large-" + (i + 1);
        start = System.nanoTime();
        node.deploy(type, module);
        times[i] = System.nanoTime() - start;
        node.undeploy(type); // keeps one compiled copy at a time, as a redeploy would
      }
      return ProbeLine.named(DEPLOY)
          .put("bytes", info.module().sizeBytes())
          .put("functions", info.module().functionCount())
          .put("engine", info.module().engine().name().toLowerCase(java.util.Locale.ROOT))
          .put("cold", cold)
          .put("warm", times);
    }
  }

  /** A 64-byte reading of the sensor actor: the value as a little-endian double, then zeros. */
  public static byte[] reading(double value) {
    return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, value).array();
  }
}
