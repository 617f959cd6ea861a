package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.ask;
import static io.mayfly.runtime.Probe.peek;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Short-term state expires by policy on the injected clock; nothing here sleeps. */
class TtlTest {
  private final ManualClock clock = ManualClock.create();
  private final Mayfly node = Probe.syncNode(clock);
  private final List<String> expired = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    node.close();
  }

  private void deploy(Ttl ttl) {
    node.deploy("probe", Probe.WASM, TypeConfig.builder().ttl(ttl).build());
    node.subscribe("expired/#", (t, p, from) -> expired.add(t + "=" + Probe.text(p)));
  }

  private boolean alive(String address) {
    return node.state(Address.parse(address)).isPresent();
  }

  private void advance(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  @Test
  void afterWriteExpiresAfterTheLastWriteAndReadsDoNotExtendIt() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(60)));
    ask(node, "probe/a", "put:k=v");
    advance(40);
    assertThat(ask(node, "probe/a", "get:k")).isEqualTo("v");
    advance(19);
    assertThat(alive("probe/a")).isTrue();
    advance(2);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void afterWriteIsRestartedByEachWrite() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(60)));
    ask(node, "probe/a", "put:k=1");
    advance(50);
    ask(node, "probe/a", "put:k=2");
    advance(50);
    assertThat(peek(node, "probe/a", "k")).contains("2");
    advance(11);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void afterAccessIsRestartedByReads() {
    deploy(Ttl.afterAccess(Duration.ofSeconds(60)));
    ask(node, "probe/a", "put:k=v");
    advance(50);
    assertThat(ask(node, "probe/a", "get:k")).isEqualTo("v");
    advance(50);
    assertThat(alive("probe/a")).as("a read 50 s ago keeps it").isTrue();
    advance(11);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void inspectionDoesNotCountAsAccess() {
    deploy(Ttl.afterAccess(Duration.ofSeconds(60)));
    ask(node, "probe/a", "put:k=v");
    advance(59);
    assertThat(node.state(Address.parse("probe/a")).orElseThrow().remainingTtl())
        .isEqualTo(Duration.ofSeconds(1));
    advance(2);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void atDeadlineIgnoresWrites() {
    deploy(Ttl.atDeadline(Duration.ofSeconds(60)));
    ask(node, "probe/a", "put:k=1");
    advance(30);
    ask(node, "probe/a", "put:k=2");
    advance(31);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void neverKeepsStateUntilEvicted() {
    deploy(Ttl.never());
    ask(node, "probe/a", "put:k=v");
    advance(Duration.ofDays(1000).toSeconds());
    assertThat(peek(node, "probe/a", "k")).contains("v");
    assertThat(node.state(Address.parse("probe/a")).orElseThrow().remainingTtl()).isNull();
  }

  @Test
  void anActorCanOverrideItsTypesTtl() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(60)));
    assertThat(ask(node, "probe/a", "attl:1,5000;put:k=v")).isEqualTo("0,0");
    ask(node, "probe/b", "put:k=v");
    advance(6);
    assertThat(alive("probe/a")).isFalse();
    assertThat(alive("probe/b")).isTrue();
  }

  @Test
  void anActorCanGoBackToTheTypeDefault() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(60)));
    ask(node, "probe/a", "attl:4,0;put:k=v");
    advance(100);
    assertThat(alive("probe/a")).isTrue();
    ask(node, "probe/a", "attl:0,0");
    advance(61);
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void aKeyCanHaveItsOwnTtl() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(60)));
    assertThat(ask(node, "probe/a", "put:a=1;put:b=2;ttl:b=1,1000")).isEqualTo("0,0,0");
    clock.advance(Duration.ofMillis(1500));
    assertThat(ask(node, "probe/a", "get:b;get:a")).isEqualTo("-1,1");
    assertThat(node.state(Address.parse("probe/a")).orElseThrow().entries()).containsOnlyKeys("a");
  }

  @Test
  void aKeyWithAnAccessTtlIsKeptAliveByReads() {
    deploy(Ttl.never());
    ask(node, "probe/a", "put:a=1;ttl:a=2,1000");
    clock.advance(Duration.ofMillis(800));
    ask(node, "probe/a", "get:a");
    clock.advance(Duration.ofMillis(800));
    assertThat(ask(node, "probe/a", "get:a")).isEqualTo("1");
    clock.advance(Duration.ofMillis(1001));
    assertThat(ask(node, "probe/a", "get:a")).isEqualTo("-1");
  }

  @Test
  void anActorWhoseKeysAllExpiredIsDropped() {
    deploy(Ttl.never());
    ask(node, "probe/a", "put:a=1;ttl:a=3,1000");
    clock.advance(Duration.ofMillis(1001));
    assertThat(alive("probe/a")).isFalse();
  }

  @Test
  void badTtlArgumentsAreRefused() {
    deploy(Ttl.never());
    assertThat(
            ask(
                node,
                "probe/a",
                "attl:9,100;attl:1,0;attl:2,-5;ttl:missing=1,100;put:k=v;ttl:k=7,1"))
        .isEqualTo("-6,-6,-6,-1,0,-6");
  }

  @Test
  void theExpiryTurnFlushesStateBeforeItIsDropped() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(10)));
    ask(node, "probe/s1", "put:flush=sum=42");
    advance(11);
    assertThat(expired).containsExactly("expired/s1=sum=42");
    assertThat(alive("probe/s1")).as("writes of the expiry turn are discarded").isFalse();
    assertThat(node.stats().expirations()).isEqualTo(1);
    assertThat(ask(node, "probe/s1", "inc:n")).as("a later message starts afresh").isEqualTo("1");
  }

  @Test
  void theExpiryTurnSeesTheLastWriteOfAnActorWrittenInQuickSuccession() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(10)));
    for (int i = 1; i <= 5; i++) {
      ask(node, "probe/s1", "put:flush=v" + i);
      clock.advance(Duration.ofMillis(20));
    }
    assertThat(peek(node, "probe/s1", "flush")).contains("v5");
    advance(9);
    assertThat(alive("probe/s1")).as("the last write restarted the TTL").isTrue();
    advance(2);
    assertThat(expired).containsExactly("expired/s1=v5");
    assertThat(alive("probe/s1")).isFalse();
  }

  @Test
  void aMessageAtTheTtlStartsAfreshAndTheOldStateStillHasItsExpiryTurn() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(10)));
    ask(node, "probe/s1", "put:flush=old;inc:n");
    advance(10);
    assertThat(alive("probe/s1")).as("state is invisible from its deadline").isFalse();
    assertThat(ask(node, "probe/s1", "inc:n")).as("the message starts afresh").isEqualTo("1");
    assertThat(expired).containsExactly("expired/s1=old");
    assertThat(node.stats().expirations()).isEqualTo(1);
    advance(11);
    assertThat(expired)
        .as("then the fresh state expires too")
        .containsExactly("expired/s1=old", "expired/s1=");
    assertThat(alive("probe/s1")).isFalse();
  }

  @Test
  void timersAndSubscriptionsGoWithTheState() {
    deploy(Ttl.afterWrite(Duration.ofSeconds(10)));
    ask(node, "probe/a", "put:k=v;sub:news/#;timer:60000=put:late=yes");
    advance(11);
    assertThat(alive("probe/a")).isFalse();
    node.publish("news/x", Probe.bytes("m"));
    advance(60);
    assertThat(alive("probe/a")).as("no publication or timer reached it").isFalse();
  }
}
