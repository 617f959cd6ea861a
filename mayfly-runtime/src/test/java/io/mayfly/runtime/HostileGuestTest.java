package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.testing.Wat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Guests that try to take the node down from inside, each started by one message: a fork bomb of
 * messages to ever new actors, a storm of timers that set timers, asks in a cycle that are never
 * answered, and a flood of publications. Each time the node keeps its queues within their bounds,
 * keeps answering a well-behaved actor, and reports what it refused.
 */
class HostileGuestTest {
  /** What the hostile actor does with every message, chosen by the payload's first byte. */
  private static final byte[] HOSTILE =
      Wat.actor(
          """
          (data (i32.const 16) "hostile/ping")
          (data (i32.const 32) "hostile/pong")
          (data (i32.const 48) "flood/x")
          (func (export "mayfly_handle") (param $p i32) (param $n i32) (result i32)
            (local $s i64) (local $sp i32) (local $sl i32) (local $a i32) (local $mode i32)
            (local $i i32)
            (local.set $mode (i32.load8_u (local.get $p)))
            ;; f: fork, the payload to self+"a" and to self+"b"
            (if (i32.eq (local.get $mode) (i32.const 102))
              (then
                (local.set $s (call $self))
                (local.set $sp (call $ptr (local.get $s)))
                (local.set $sl (call $len (local.get $s)))
                (local.set $a (call $alloc (i32.add (local.get $sl) (i32.const 1))))
                (memory.copy (local.get $a) (local.get $sp) (local.get $sl))
                (i32.store8 (i32.add (local.get $a) (local.get $sl)) (i32.const 97))
                (drop (call $send (local.get $a) (i32.add (local.get $sl) (i32.const 1))
                  (local.get $p) (local.get $n)))
                (i32.store8 (i32.add (local.get $a) (local.get $sl)) (i32.const 98))
                (drop (call $send (local.get $a) (i32.add (local.get $sl) (i32.const 1))
                  (local.get $p) (local.get $n)))))
            ;; t: two zero-delay timers carrying the payload, which set two more each
            (if (i32.eq (local.get $mode) (i32.const 116))
              (then
                (drop (call $timer_set (i64.const 0) (local.get $p) (local.get $n)))
                (drop (call $timer_set (i64.const 0) (local.get $p) (local.get $n)))))
            ;; c: keep any ask unanswered, and ask the other of ping and pong twice
            (if (i32.eq (local.get $mode) (i32.const 99))
              (then
                (drop (call $reply_handle))
                (local.set $s (call $self))
                (local.set $a
                  (select (i32.const 32) (i32.const 16)
                    (i32.eq (i32.load8_u (i32.add (call $ptr (local.get $s)) (i32.const 9)))
                      (i32.const 105))))
                (drop (call $ask (local.get $a) (i32.const 12) (local.get $p) (local.get $n)
                  (i64.const 0)))
                (drop (call $ask (local.get $a) (i32.const 12) (local.get $p) (local.get $n)
                  (i64.const 0)))))
            ;; p: publish the payload 50 times on flood/x, then once more to itself
            (if (i32.eq (local.get $mode) (i32.const 112))
              (then
                (loop $again
                  (drop (call $publish (i32.const 48) (i32.const 7) (local.get $p) (local.get $n)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $again (i32.lt_u (local.get $i) (i32.const 50))))
                (local.set $s (call $self))
                (drop (call $send (call $ptr (local.get $s)) (call $len (local.get $s))
                  (local.get $p) (local.get $n)))))
            (global.set $heap (i32.const 4096)) ;; this turn's allocations are dead now
            (i32.const 0))
          """);

  private static final long QUEUE_BUDGET = 8 << 20;
  private static final int CAPACITY = 64;

  private static byte[] payload(char mode, int size) {
    byte[] p = new byte[size];
    Arrays.fill(p, (byte) '.');
    p[0] = (byte) mode;
    return p;
  }

  /** Runs an attack until {@code refused} holds, asking a well-behaved actor meanwhile. */
  private static void survives(
      String scenario, char mode, int size, String target, Probe.StatsCheck refused)
      throws Exception {
    try (Mayfly node = Mayfly.builder().workers(2).queueBudgetBytes(QUEUE_BUDGET).build()) {
      node.deploy("probe", Probe.WASM);
      TypeConfig hostile =
          TypeConfig.builder()
              .mailboxCapacity(CAPACITY)
              .askTimeout(Duration.ofSeconds(30))
              .subscribe("flood/+", "{1}")
              .build();
      node.deploy("hostile", HOSTILE, hostile);
      AtomicLong peakQueued = new AtomicLong();
      AtomicLong peakHeap = new AtomicLong();
      Runtime memory = Runtime.getRuntime();
      BooleanSupplier sample =
          () -> {
            peakQueued.accumulateAndGet(node.stats().queuedBytes(), Math::max);
            peakHeap.accumulateAndGet(memory.totalMemory() - memory.freeMemory(), Math::max);
            return refused.test(node.stats());
          };

      node.tell(Address.parse(target), payload(mode, size));
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long start = System.nanoTime();
        String n =
            Probe.text(
                node.ask(Address.parse("probe/ok"), bytes("inc:n"), Duration.ofSeconds(10))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
        latencies.add(System.nanoTime() - start);
        assertThat(n).isEqualTo(String.valueOf(i + 1));
        sample.getAsBoolean();
      }
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(sample::getAsBoolean);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            scenario + ": the node did not refuse as expected: " + node.stats(), e);
      }
      assertThat(peakQueued.get())
          .as("bytes queued")
          .isLessThanOrEqualTo(QUEUE_BUDGET + 2 * (size + 96));

      node.undeploy("hostile"); // releases its actors, timers and queues
      await().atMost(Duration.ofSeconds(30)).until(() -> node.stats().queuedBytes() == 0);
      latencies.sort(null);
      NodeStats s = node.stats();
      System.out.printf(
          "hostile %s: well-behaved ask p50 %.2f ms, max %.2f ms; peak queued %d bytes; peak heap"
              + " %d MiB; overloaded %d, dead letters %d, failed turns %d%n",
          scenario,
          latencies.get(latencies.size() / 2) / 1e6,
          latencies.getLast() / 1e6,
          peakQueued.get(),
          peakHeap.get() >> 20,
          s.overloaded(),
          s.deadLetters(),
          s.failedTurns());
    }
  }

  @Test
  void aForkBombOfMessagesToNewActorsIsHeldToTheQueueBudget() throws Exception {
    survives("fork bomb", 'f', 4096, "hostile/x", s -> s.overloaded() >= 200);
  }

  @Test
  void timersThatSetTimersAreHeldToAMailboxWorthPerActor() throws Exception {
    survives(
        "timer storm",
        't',
        1024,
        "hostile/x",
        s -> s.turns() > 5_000 && s.pendingTimers() <= 2 * CAPACITY + 64);
  }

  @Test
  void asksInACycleThatAreNeverAnsweredAreHeldToAMailboxWorthPerActor() throws Exception {
    survives(
        "ask cycle",
        'c',
        256,
        "hostile/ping",
        s -> s.deadLetters() >= CAPACITY && s.pendingAsks() <= 2 * CAPACITY + 8);
  }

  @Test
  void aFloodOfPublicationsFillsOnlyTheSubscribersMailbox() throws Exception {
    survives("publication flood", 'p', 1024, "hostile/y", s -> s.deadLetters() >= 1_000);
  }
}
