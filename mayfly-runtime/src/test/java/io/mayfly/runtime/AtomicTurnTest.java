package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static io.mayfly.runtime.Probe.tell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failed turn leaves no trace: no state written, nothing sent, published or scheduled. */
class AtomicTurnTest {
  private static final String EFFECTS =
      "put:a=2;put:b=new;send:probe/other=put:got=yes;pub:news/x=m;timer:10=put:timer=fired;"
          + "sub:news/#;attl:3,1;";

  private final ManualClock clock = ManualClock.create();
  private final List<String> published = new CopyOnWriteArrayList<>();
  private Mayfly node;

  @BeforeEach
  void start() {
    node = Probe.syncNode(clock);
    node.deploy("probe", Probe.WASM, TypeConfig.builder().maxMemoryPages(64).build());
    node.subscribe("#", (topic, payload, from) -> published.add(topic));
    assertThat(ask(node, "probe/a", "put:a=1")).isEqualTo("0");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private void assertNothingLeaked() {
    assertThat(peek(node, "probe/a", "a")).contains("1");
    assertThat(peek(node, "probe/a", "b")).isEmpty();
    assertThat(node.state(Address.parse("probe/other"))).isEmpty();
    assertThat(published).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(peek(node, "probe/a", "timer")).isEmpty();
    assertThat(node.state(Address.parse("probe/a")).orElseThrow().subscriptions()).isEmpty();
    node.publish("news/y", new byte[0]);
    assertThat(peek(node, "probe/a", "inbox")).isEmpty();
  }

  @Test
  void trapDiscardsStateAndEffects() {
    assertThatThrownBy(() -> ask(node, "probe/a", EFFECTS + "trap"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("probe/a")
        .satisfies(
            e -> assertThat(((TurnFailedException) e).reason().code()).isEqualTo("guest_trap"));
    assertNothingLeaked();
  }

  @Test
  void nonZeroResultDiscardsStateAndEffects() {
    assertThatThrownBy(() -> ask(node, "probe/a", EFFECTS + "fail:7"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("error code 7")
        .satisfies(
            e -> assertThat(((TurnFailedException) e).reason().code()).isEqualTo("guest_error"));
    assertNothingLeaked();
  }

  @Test
  void memoryExhaustionIsStoppedByTheCapAndDiscardsTheTurn() {
    assertThatThrownBy(() -> ask(node, "probe/a", EFFECTS + "grow"))
        .isInstanceOf(TurnFailedException.class)
        .hasMessageContaining("cap of 64 pages")
        .satisfies(
            e ->
                assertThat(((TurnFailedException) e).reason().code())
                    .isEqualTo("guest_out_of_memory"));
    assertNothingLeaked();
    assertThat(ask(node, "probe/a", "get:a"))
        .as("a fresh instance serves the next turn")
        .isEqualTo("1");
  }

  @Test
  void failedTellIsCountedAndTheActorKeepsWorking() {
    tell(node, "probe/a", "put:a=9;trap");
    assertThat(node.stats().failedTurns()).isEqualTo(1);
    assertThat(ask(node, "probe/a", "inc:a")).isEqualTo("2");
  }

  @Test
  void timeoutDiscardsTheTurnWhileOtherActorsKeepRunning() {
    try (Mayfly workers = Mayfly.builder().workers(2).build()) {
      workers.deploy(
          "probe", Probe.WASM, TypeConfig.builder().turnTimeout(Duration.ofMillis(300)).build());
      assertThat(ask(workers, "probe/a", "put:a=1")).isEqualTo("0");
      CompletableFuture<byte[]> looping =
          workers
              .ask(Address.parse("probe/a"), Probe.bytes(EFFECTS + "loop"), Duration.ofSeconds(30))
              .toCompletableFuture();
      var others = new ArrayList<CompletableFuture<byte[]>>();
      for (int i = 0; i < 200; i++) {
        others.add(
            workers
                .ask(Address.parse("probe/o" + i), Probe.bytes("inc:n"), Duration.ofSeconds(30))
                .toCompletableFuture());
      }
      await().atMost(Duration.ofSeconds(20)).until(looping::isDone);
      assertThat(looping)
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOf(TurnFailedException.class)
          .withMessageContaining("deadline of 300ms");
      await().atMost(Duration.ofSeconds(20)).until(() -> others.stream().allMatch(f -> f.isDone()));
      assertThat(others).allSatisfy(f -> assertThat(Probe.text(f.join())).isEqualTo("1"));
      assertThat(peek(workers, "probe/a", "a")).contains("1");
      assertThat(peek(workers, "probe/a", "b")).isEmpty();
      assertThat(workers.state(Address.parse("probe/other"))).isEmpty();
      assertThat(workers.stats().timeouts()).isEqualTo(1);
      assertThat(ask(workers, "probe/a", "get:a")).isEqualTo("1");
    }
  }
}
