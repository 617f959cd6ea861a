package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerAndTopicTest {
  private final ManualClock clock = ManualClock.create();
  private final Mayfly node = Probe.syncNode(clock);

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void timersFireInDeadlineOrderThenCreationOrder() {
    node.deploy("probe", Probe.WASM);
    ask(
        node,
        "probe/a",
        "timer:100=app:t=late;timer:50=app:t=early;timer:50=app:t=early2;timer:0=app:t=now");
    assertThat(peek(node, "probe/a", "t")).isEmpty();
    clock.advance(Duration.ofMillis(49));
    assertThat(peek(node, "probe/a", "t")).contains("now ");
    clock.advance(Duration.ofMillis(100));
    assertThat(peek(node, "probe/a", "t")).contains("now early early2 late ");
    assertThat(node.state(Address.parse("probe/a")).orElseThrow().pendingTimers()).isZero();
  }

  @Test
  void aTimerMessageCarriesItsIdAndPayload() {
    node.deploy("probe", Probe.WASM);
    String id = ask(node, "probe/a", "timer:10=log:tick");
    clock.advance(Duration.ofMillis(10));
    assertThat(peek(node, "probe/a", "inbox")).contains("3|" + id + "|0|-|-|log:tick\n");
  }

  @Test
  void aCancelledTimerDoesNotFire() {
    node.deploy("probe", Probe.WASM);
    String id = ask(node, "probe/a", "put:k=v;timer:100=app:t=fired").split(",")[1];
    assertThat(ask(node, "probe/a", "cancel:" + id + ";cancel:" + id + ";cancel:424242"))
        .isEqualTo("1,0,0");
    clock.advance(Duration.ofSeconds(1));
    assertThat(peek(node, "probe/a", "t")).isEmpty();
  }

  @Test
  void anActorWithOnlyATimerStaysUntilItFires() {
    node.deploy(
        "probe",
        Probe.WASM,
        TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(5))).build());
    ask(node, "probe/a", "timer:60000=app:t=woke");
    assertThat(node.state(Address.parse("probe/a"))).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(peek(node, "probe/a", "t")).contains("woke ");
  }

  @Test
  void aTypeSubscriptionRoutesByTopicSegment() {
    node.deploy(
        "probe", Probe.WASM, TypeConfig.builder().subscribe("alerts/+/high", "site-{1}").build());
    node.publish("alerts/7/high", Probe.bytes("hot"));
    node.publish("alerts/7/low", Probe.bytes("cold"));
    assertThat(peek(node, "probe/site-7", "inbox")).contains("4|0|0|alerts/7/high|-|hot\n");
  }

  @Test
  void actorsSubscribeAndUnsubscribeThroughTheAbi() {
    node.deploy("probe", Probe.WASM);
    List<String> outside = new CopyOnWriteArrayList<>();
    node.subscribe("news/#", (t, p, from) -> outside.add(t + " from " + from));
    assertThat(ask(node, "probe/reader", "sub:news/#;sub:bad/#/x")).isEqualTo("0,-6");
    ask(node, "probe/writer", "pub:news/today=headline;pub:news/+=x");
    assertThat(peek(node, "probe/reader", "inbox"))
        .contains("4|0|0|news/today|probe/writer|headline\n");
    assertThat(outside).containsExactly("news/today from probe/writer");
    assertThat(ask(node, "probe/reader", "unsub:news/#;unsub:news/#")).isEqualTo("1,0");
    node.publish("news/later", Probe.bytes("again"));
    assertThat(peek(node, "probe/reader", "inbox").orElseThrow()).doesNotContain("again");
  }

  @Test
  void actorsReadSharedData() {
    node.deploy("probe", Probe.WASM);
    node.putSharedData("model", Probe.bytes("weights-v1"));
    assertThat(ask(node, "probe/a", "shared:model;shared:missing")).isEqualTo("weights-v1,-1");
    node.putSharedData("model", Probe.bytes("weights-v2"));
    assertThat(ask(node, "probe/a", "shared:model")).isEqualTo("weights-v2");
  }

  @Test
  void guestsSeeTheInjectedClockAndTheirAddresses() {
    node.deploy("probe", Probe.WASM);
    assertThat(ask(node, "probe/a", "now;self;sender"))
        .isEqualTo(clock.epochMillis() + ",probe/a,-");
    ask(node, "probe/a", "send:probe/b=app:from=x");
    assertThat(ask(node, "probe/a", "send:probe/b=put:s=1")).isEqualTo("0");
  }
}
