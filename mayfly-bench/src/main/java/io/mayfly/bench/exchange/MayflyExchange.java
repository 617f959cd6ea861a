package io.mayfly.bench.exchange;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mayfly: an embedded node (one CPU worker per core) with the workflow example's three types
 * deployed in its configuration; a chain is {@code ask(stage/1)}, a fan-out {@code
 * ask(coordinator/<id>)} with a new coordinator id per request. Hand-offs between actors are the
 * node's own: in memory, between its workers.
 */
final class MayflyExchange implements Exchange {
  private static final int MIB = 1 << 20;
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
  private static final Address FIRST_STAGE = Address.of("stage", "1");

  /** The example's configuration: room for 1 MiB payloads in messages, state and memory. */
  static final TypeConfig CONFIG =
      TypeConfig.builder()
          .maxMessageBytes(2 * MIB)
          .maxStateBytes(4 * MIB)
          .maxMemoryPages(Functions.MEMORY_PAGES)
          .turnTimeout(Duration.ofSeconds(5))
          .build();

  private final Mayfly node;
  private final AtomicLong workflows = new AtomicLong();

  MayflyExchange(Path wasmDir) {
    this.node = Mayfly.builder().build();
    for (String type : List.of("stage", "coordinator", "worker")) {
      node.deploy(type, Functions.module(wasmDir, type), CONFIG);
    }
  }

  @Override
  public String name() {
    return "Mayfly";
  }

  @Override
  public byte[] run(Shape shape, byte[] request) {
    Address to =
        switch (shape) {
          case CHAIN -> FIRST_STAGE;
          case FAN_OUT -> Address.of("coordinator", "wf-" + workflows.incrementAndGet());
        };
    // The node fails the ask after ASK_TIMEOUT; no timeout of the future's own, which would add a
    // timer task per request (and the timer thread's work) to what is measured.
    return node.ask(to, request, ASK_TIMEOUT).toCompletableFuture().join();
  }

  @Override
  public void close() {
    node.close();
  }
}
