package io.mayfly.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.testing.Checkout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Workflows example (examples/workflow): a sequential chain of stages and a parallel
 * fan-out/fan-in, run from the committed builds in examples/workflow/wasm on real nodes. The
 * expected results are computed here in Java from the protocol in examples/workflow/README.md.
 */
class WorkflowExampleTest {
  private static final Path WASM = Checkout.path("examples/workflow/wasm");
  private static final int MIB = 1 << 20;

  /** Room for a 1 MiB payload plus the example's headers, in messages, state and memory. */
  static final TypeConfig CONFIG =
      TypeConfig.builder()
          .maxMessageBytes(2 * MIB)
          .maxStateBytes(4 * MIB)
          .maxMemoryPages(256)
          .turnTimeout(Duration.ofSeconds(5))
          .build();

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final Address STAGE_1 = Address.parse("stage/1");

  static void deploy(Mayfly node) {
    for (String type : List.of("stage", "coordinator", "worker")) {
      node.deploy(type, module(type), CONFIG);
    }
  }

  private static byte[] module(String name) {
    try {
      return Files.readAllBytes(WASM.resolve(name + ".wasm"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "missing " + name + ".wasm: run examples/workflow/build.sh", e);
    }
  }

  private static Mayfly workerNode() {
    Mayfly node = Mayfly.builder().workers(4).build();
    deploy(node);
    return node;
  }

  // ---- the protocol, in Java ----

  /** The transform of step k: every byte b becomes (b ^ k) + 1. */
  static byte[] transform(byte[] data, int k) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = (byte) ((data[i] ^ k) + 1);
    }
    return out;
  }

  static byte[] chainRequest(int stages, byte[] data) {
    return ByteBuffer.allocate(4 + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(stages)
        .put(data)
        .array();
  }

  static byte[] expectedChain(int stages, byte[] data) {
    byte[] out = data;
    for (int k = 1; k <= stages; k++) {
      out = transform(out, k);
    }
    return out;
  }

  static byte[] fanOutRequest(int workers, int deadlineMs, int mute, byte[] data) {
    return ByteBuffer.allocate(12 + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(workers)
        .putInt(deadlineMs)
        .putInt(mute)
        .put(data)
        .array();
  }

  /** The XOR of the transforms of workers 1..answering. */
  static byte[] expectedFold(int answering, byte[] data) {
    byte[] acc = new byte[data.length];
    for (int i = 1; i <= answering; i++) {
      byte[] t = transform(data, i);
      for (int j = 0; j < acc.length; j++) {
        acc[j] ^= t[j];
      }
    }
    return acc;
  }

  /** The coordinator's answer: the 16-byte header and the accumulator. */
  record FanIn(int partial, int k, int ok, int failed, byte[] acc) {
    static FanIn parse(byte[] reply) {
      ByteBuffer b = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
      return new FanIn(
          b.getInt(),
          b.getInt(),
          b.getInt(),
          b.getInt(),
          Arrays.copyOfRange(reply, 16, reply.length));
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static byte[] join(CompletableFuture<byte[]> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static CompletableFuture<byte[]> ask(Mayfly node, Address to, byte[] payload) {
    return node.ask(to, payload, ASK_TIMEOUT).toCompletableFuture();
  }

  // ---- sequential chain ----

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1024, 64 * 1024, MIB})
  void chainOfFiveStagesAppliesEveryStageInOrder(int size) {
    byte[] data = random(size, size);
    try (Mayfly node = workerNode()) {
      byte[] reply = join(ask(node, STAGE_1, chainRequest(5, data)));
      assertThat(reply).isEqualTo(expectedChain(5, data));
      // The stages keep no state: the reply handle travelled inside the messages.
      assertThat(node.actors("stage", 0, 10)).isEmpty();
    }
  }

  @Test
  void chainOfOneStageAnswersAtOnce() {
    byte[] data = random(100, 1);
    try (Mayfly node = workerNode()) {
      assertThat(join(ask(node, STAGE_1, chainRequest(1, data)))).isEqualTo(expectedChain(1, data));
    }
  }

  // ---- parallel fan-out / fan-in ----

  @Test
  void fanOutToTenWorkersGathersEveryResult() {
    byte[] data = random(64 * 1024, 7);
    try (Mayfly node = workerNode()) {
      FanIn result =
          FanIn.parse(
              join(
                  ask(
                      node,
                      Address.parse("coordinator/wf-1"),
                      fanOutRequest(10, 10_000, 0, data))));
      assertThat(result.partial()).isZero();
      assertThat(result.k()).isEqualTo(10);
      assertThat(result.ok()).isEqualTo(10);
      assertThat(result.failed()).isZero();
      assertThat(result.acc()).isEqualTo(expectedFold(10, data));
      // The coordinator forgot the workflow once it answered (the deadline timer is cancelled).
      assertThat(node.state(Address.parse("coordinator/wf-1"))).isEmpty();
    }
  }

  @Test
  void fanOutOfOneMebibyteToTenWorkers() {
    byte[] data = random(MIB, 8);
    try (Mayfly node = workerNode()) {
      FanIn result =
          FanIn.parse(
              join(
                  ask(node, Address.parse("coordinator/big"), fanOutRequest(10, 20_000, 0, data))));
      assertThat(result.ok()).isEqualTo(10);
      assertThat(result.acc()).isEqualTo(expectedFold(10, data));
    }
  }

  @Test
  void deadlineAnswersWithWhatArrivedAndLateRepliesAreIgnored() {
    ManualClock clock = ManualClock.create();
    Address coordinator = Address.parse("coordinator/slow");
    byte[] data = random(4096, 9);
    List<TurnRecord> turns = new CopyOnWriteArrayList<>();
    try (Mayfly node =
        Mayfly.builder().synchronous(true).clock(clock).turnListener(turns::add).build()) {
      deploy(node);
      // Workers 9 and 10 are told to stay silent.
      CompletableFuture<byte[]> answer = ask(node, coordinator, fanOutRequest(10, 500, 2, data));

      assertThat(answer).isNotDone();
      var gathering = node.state(coordinator).orElseThrow().entries();
      assertThat(gathering).containsKeys("h", "m", "c", "a");
      assertThat(
              ByteBuffer.wrap(gathering.get("m").value()).order(ByteOrder.LITTLE_ENDIAN).getInt(4))
          .as("workers answered so far")
          .isEqualTo(8);

      clock.advance(Duration.ofMillis(499));
      assertThat(answer).isNotDone();
      clock.advance(Duration.ofMillis(1));

      FanIn result = FanIn.parse(answer.join());
      assertThat(result.partial()).isEqualTo(1);
      assertThat(result.k()).isEqualTo(10);
      assertThat(result.ok()).isEqualTo(8);
      assertThat(result.failed()).isZero();
      assertThat(result.acc()).isEqualTo(expectedFold(8, data));
      assertThat(node.state(coordinator)).isEmpty();

      // The silent workers' asks time out at twice the deadline; those replies are ignored.
      turns.clear();
      clock.advance(Duration.ofSeconds(1));
      assertThat(turns)
          .hasSize(2)
          .allSatisfy(
              t -> {
                assertThat(t.address()).isEqualTo(coordinator);
                assertThat(t.message().kind()).isEqualTo(MessageKind.REPLY);
                assertThat(t.message().replyStatus()).isEqualTo(ReplyStatus.TIMEOUT);
                assertThat(t.committed()).isTrue();
                assertThat(t.effects()).isEmpty();
              });
      assertThat(node.state(coordinator)).isEmpty();

      // The same coordinator runs the next workflow from scratch.
      FanIn next = FanIn.parse(join(ask(node, coordinator, fanOutRequest(3, 500, 0, data))));
      assertThat(next.partial()).isZero();
      assertThat(next.acc()).isEqualTo(expectedFold(3, data));
    }
  }

  @Test
  void aSecondWorkflowOnABusyCoordinatorIsRefused() {
    ManualClock clock = ManualClock.create();
    Address coordinator = Address.parse("coordinator/busy");
    byte[] data = random(16, 10);
    try (Mayfly node = Mayfly.builder().synchronous(true).clock(clock).build()) {
      deploy(node);
      CompletableFuture<byte[]> first = ask(node, coordinator, fanOutRequest(2, 500, 1, data));
      CompletableFuture<byte[]> second = ask(node, coordinator, fanOutRequest(2, 500, 0, data));
      assertThat(second).isCompletedExceptionally();
      clock.advance(Duration.ofMillis(500));
      assertThat(FanIn.parse(first.join()).ok()).isEqualTo(1);
    }
  }

  // ---- many at once ----

  @Test
  void twoHundredConcurrentWorkflowsAllComplete() {
    int each = 100;
    try (Mayfly node = workerNode()) {
      List<byte[]> chainData = new ArrayList<>();
      List<byte[]> fanData = new ArrayList<>();
      List<CompletableFuture<byte[]>> chains = new ArrayList<>();
      List<CompletableFuture<byte[]>> fans = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        byte[] c = random(4096, 1000 + i);
        byte[] f = random(4096, 2000 + i);
        chainData.add(c);
        fanData.add(f);
        chains.add(ask(node, STAGE_1, chainRequest(5, c)));
        fans.add(ask(node, Address.parse("coordinator/wf-" + i), fanOutRequest(10, 20_000, 0, f)));
      }
      for (int i = 0; i < each; i++) {
        assertThat(join(chains.get(i)))
            .as("chain %d", i)
            .isEqualTo(expectedChain(5, chainData.get(i)));
        FanIn r = FanIn.parse(join(fans.get(i)));
        assertThat(r.ok()).as("fan-out %d", i).isEqualTo(10);
        assertThat(r.acc()).as("fan-out %d", i).isEqualTo(expectedFold(10, fanData.get(i)));
      }
    }
  }

  // ---- a rough latency figure (printed, never asserted) ----

  @Test
  void reportsChainLatency() {
    try (Mayfly node = workerNode()) {
      StringBuilder report = new StringBuilder("chain-5 latency, median of 20 asks after warm-up:");
      for (int size : new int[] {1024, 64 * 1024, MIB}) {
        byte[] data = random(size, 42);
        byte[] request = chainRequest(5, data);
        byte[] expected = expectedChain(5, data);
        for (int i = 0; i < 10; i++) {
          join(ask(node, STAGE_1, request));
        }
        long[] nanos = new long[20];
        for (int i = 0; i < nanos.length; i++) {
          long start = System.nanoTime();
          byte[] reply = join(ask(node, STAGE_1, request));
          nanos[i] = System.nanoTime() - start;
          assertThat(reply).isEqualTo(expected);
        }
        Arrays.sort(nanos);
        report.append(String.format(" %d B: %.3f ms;", size, nanos[nanos.length / 2] / 1e6));
      }
      System.out.println(report);
    }
  }
}
