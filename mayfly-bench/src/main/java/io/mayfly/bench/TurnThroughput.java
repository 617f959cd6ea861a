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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Turns per second of the trivial counter actor ({@code counter.wat}: one {@code state_get}, one
 * {@code state_put} of 8 bytes) over 10 000 actors on a node with 2 workers, the system clock and
 * no meter registry.
 *
 * <p>The actors are activated (have state) before measuring. One operation is one turn: an
 * invocation tells every actor its messages from the benchmark thread, round-robin, then parks
 * until the node's turn counter shows all of them handled. The figure therefore includes ingress
 * (address lookup, mailbox, scheduling) and the commit to the state store, not just the guest. The
 * benchmark thread shares the 2 cores with the workers while it sends.
 *
 * <ul>
 *   <li>{@link #oneMessagePerActor}: each actor gets one message per round, so every turn starts a
 *       new activation of its mailbox (a cell is created, scheduled and retired per message).
 *   <li>{@link #eightMessagesPerActor}: each actor gets 8 messages per round, which the scheduler
 *       may run as one batch (batch size 32) on one borrowed instance.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TurnThroughput {
  static final int ACTORS = 10_000;
  static final int BURST = 8;

  private final byte[] payload = new byte[8];
  private Mayfly node;
  private Address[] actors;
  private long expectedTurns;
  private final CpuMeter cpu = new CpuMeter(() -> expectedTurns);

  @Setup
  public void start() {
    Logs.quiet();
    node = Mayfly.builder().workers(2).build();
    node.deploy("counter", Guests.counter(), TypeConfig.builder().mailboxCapacity(4096).build());
    actors = new Address[ACTORS];
    for (int i = 0; i < ACTORS; i++) {
      actors[i] = Address.of("counter", "c" + i);
    }
    tellAll(1);
  }

  @TearDown
  public void stop() {
    node.close();
  }

  @Setup(Level.Iteration)
  public void meterCpu() {
    cpu.begin();
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    cpu.end().print("turn");
  }

  /** One message to each of the 10 000 actors: 10 000 turns. */
  @Benchmark
  @OperationsPerInvocation(ACTORS)
  public void oneMessagePerActor() {
    tellAll(1);
  }

  /** Eight rounds of one message to each actor, sent back to back: 80 000 turns. */
  @Benchmark
  @OperationsPerInvocation(ACTORS * BURST)
  public void eightMessagesPerActor() {
    tellAll(BURST);
  }

  private void tellAll(int rounds) {
    for (int r = 0; r < rounds; r++) {
      for (Address a : actors) {
        node.tell(a, payload);
      }
    }
    expectedTurns += (long) rounds * ACTORS;
    Turns.await(node, expectedTurns);
  }
}
