package io.mayfly.bench;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the first message to an actor never seen before, per actor: creating its mailbox,
 * scheduling it, running its first turn of the counter actor ({@code counter.wat}) on a pooled
 * instance, and storing its first state (one 8-byte key) in the state store.
 *
 * <p>An invocation tells one message to each of {@value #BATCH} fresh addresses (made before the
 * invocation, so building addresses is not counted) and waits until all have run; the time is
 * divided by their number. {@code node=synchronous} runs each turn on the benchmark thread as it is
 * told ({@code Mayfly.builder().synchronous(true)}): the runtime's cost on one thread, without
 * scheduling. {@code node=workers} runs them on 2 workers, so the figure is an amortised cost with
 * up to two activations in parallel, plus scheduling.
 *
 * <p>Activated actors stay in the store (their TTL is 10 minutes). To keep the heap bounded
 * whatever the iteration time, the node is replaced, outside the measurement, once it holds {@value
 * #ACTORS_PER_NODE} actors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ActivationCost {
  static final int BATCH = Activations.BATCH;
  static final int ACTORS_PER_NODE = 500_000;

  /** Which kind of node runs the turns. */
  @Param({"workers", "synchronous"})
  public String node;

  private final byte[] payload = new byte[8];
  private Address[] fresh;
  private Mayfly mayfly;
  private long activatedOnNode;
  private long nextId;

  @Setup(Level.Trial)
  public void start() {
    Logs.quiet();
    mayfly = newNode();
  }

  @TearDown(Level.Trial)
  public void stop() {
    mayfly.close();
  }

  /** Names the next batch of unseen actors, and replaces a full node. */
  @Setup(Level.Invocation)
  public void nextBatch() {
    if (activatedOnNode >= ACTORS_PER_NODE) {
      mayfly.close();
      mayfly = null;
      System.gc();
      mayfly = newNode();
      activatedOnNode = 0;
    }
    fresh = Activations.fresh("counter", nextId, BATCH);
    nextId += BATCH;
  }

  /** Tells 10 000 unseen actors one message each and waits until all are handled. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void firstMessage() {
    Activations.activate(mayfly, fresh, payload);
    activatedOnNode += BATCH;
  }

  private Mayfly newNode() {
    Mayfly m =
        Mayfly.builder()
            .workers(2)
            .synchronous(node.equals("synchronous"))
            .stateBudgetBytes(1L << 30)
            .build();
    m.deploy("counter", Guests.counter(), TypeConfig.builder().mailboxCapacity(4096).build());
    // One turn before measuring, so the first batch does not pay for the first instance.
    m.tell(Address.of("counter", "warm"), payload);
    Turns.await(m, 1);
    return m;
  }
}
