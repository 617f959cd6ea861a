package io.mayfly.bench.exchange;

import io.mayfly.bench.exchange.Invocation.Sent;
import io.mayfly.wasm.ActorModule;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.InstancePool;
import io.mayfly.wasm.ModuleLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workflow example's Wasm modules run as stateless functions, straight on the Wasm host (no
 * node, no mailboxes, no scheduler): each invocation borrows a pooled instance, copies its input
 * into guest memory, runs {@code mayfly_handle} and captures what the function sent and replied.
 * Thread-safe; each thread borrows its own instances.
 */
final class Functions {
  /** The memory cap of the example's configuration: 256 pages, 16 MiB. */
  static final int MEMORY_PAGES = 256;

  /**
   * The address the coordinator runs as; its state, not its id, tells one workflow from another.
   */
  private static final String COORDINATOR = "coordinator/wf";

  private static final int POOLED = 64;

  private final InstancePool stage;
  private final InstancePool coordinator;
  private final InstancePool worker;

  private Functions(byte[] stage, byte[] coordinator, byte[] worker) {
    this.stage = pool(stage);
    this.coordinator = pool(coordinator);
    this.worker = pool(worker);
  }

  /** Compiles {@code stage.wasm}, {@code coordinator.wasm} and {@code worker.wasm} from a dir. */
  static Functions load(Path wasmDir) {
    return new Functions(
        module(wasmDir, "stage"), module(wasmDir, "coordinator"), module(wasmDir, "worker"));
  }

  /** The bytes of one of the workflow modules in {@code wasmDir}. */
  static byte[] module(Path wasmDir, String name) {
    Path file = wasmDir.resolve(name + ".wasm");
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the workflow module " + file + " (built by examples/workflow/build.sh)", e);
    }
  }

  private static InstancePool pool(byte[] bytes) {
    return InstancePool.create(
        ActorModule.compile(bytes, ModuleLimits.DEFAULTS.withMaxMemoryPages(MEMORY_PAGES)), POOLED);
  }

  /** Runs chain stage {@code k} on a message of the given kind (the client's ASK, or a TELL). */
  Invocation stage(int k, int kind, byte[] message) {
    return run(stage, new Invocation("stage/" + k, kind, 0, new HashMap<>()), message);
  }

  /** Runs the next stage a stage handed its message to. */
  Invocation nextStage(Sent handedOn) {
    return run(
        stage,
        new Invocation(addressOf("stage/", handedOn), Invocation.TELL, 0, new HashMap<>()),
        handedOn.message());
  }

  /**
   * Runs the coordinator on the client's request: it asks the workers (captured in {@link
   * Invocation#sent()}) and leaves the workflow in {@code state}.
   */
  Invocation scatter(byte[] request, Map<String, byte[]> state) {
    return run(coordinator, new Invocation(COORDINATOR, Invocation.ASK, 0, state), request);
  }

  /** Runs the worker a coordinator asked; its answer is {@link Invocation#reply()}. */
  byte[] work(Sent ask, byte[] message) {
    Invocation done =
        run(
            worker,
            new Invocation(addressOf("worker/", ask), Invocation.ASK, 0, new HashMap<>()),
            message);
    return answer(done, ask.address());
  }

  /**
   * Runs the coordinator on each worker's reply, in the order of {@code asks}, with the workflow's
   * {@code state}, and returns its answer to the client (after the last reply).
   */
  byte[] gather(List<Sent> asks, List<byte[]> replies, Map<String, byte[]> state) {
    for (int i = 0; i < asks.size(); i++) {
      Invocation turn =
          run(
              coordinator,
              new Invocation(COORDINATOR, Invocation.REPLY, asks.get(i).correlationId(), state),
              replies.get(i));
      if (turn.reply() != null) {
        return turn.reply();
      }
    }
    throw new IllegalStateException(
        "the coordinator did not answer after all " + asks.size() + " replies");
  }

  private static byte[] answer(Invocation done, String who) {
    if (done.reply() == null) {
      throw new IllegalStateException(who + " did not reply");
    }
    return done.reply();
  }

  private static Invocation run(InstancePool pool, Invocation invocation, byte[] message) {
    GuestInstance guest = pool.borrow();
    try {
      int rc = guest.handle(message, invocation);
      if (rc != 0) {
        throw new IllegalStateException(
            "workflow function failed with application error " + rc + " (see its C source)");
      }
      return invocation;
    } finally {
      pool.release(guest);
    }
  }

  private static String addressOf(String typePrefix, Sent message) {
    if (!message.address().startsWith(typePrefix)) {
      throw new IllegalStateException(
          "expected a message to " + typePrefix + "<n>, not to " + message.address());
    }
    return message.address();
  }
}
