package io.mayfly.cluster;

import static io.mayfly.cluster.Members.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An actor's TTL keeps its meaning in a cluster: its expiry turn runs once, on its owner. */
class ExpiryTest {
  private record Ran(int member, Address address, MessageKind kind) {}

  @Test
  void anExpiredActorsLastTurnRunsOnceOnItsOwnerAndItsStateIsGoneEverywhere() {
    var clock = ManualClock.create();
    List<Ran> turns = new CopyOnWriteArrayList<>();
    try (Members members =
        Members.start(3, clock, i -> t -> turns.add(new Ran(i, t.address(), t.message().kind())))) {
      var ttl = TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofSeconds(10))).build();
      for (int i = 0; i < 3; i++) {
        members.node(i).deploy("probe", Members.PROBE, ttl);
      }
      Address actor = members.ownedBy(1, "expiring");
      ask(members.node(0), actor, "put:flush=bye");

      clock.advance(Duration.ofSeconds(9));
      assertThat(members.node(2).state(actor)).isPresent();
      clock.advance(Duration.ofSeconds(2));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> turns.stream().anyMatch(r -> r.kind() == MessageKind.EXPIRE));
      clock.advance(Duration.ofMinutes(5));
      assertThat(turns)
          .filteredOn(r -> r.kind() == MessageKind.EXPIRE)
          .containsExactly(new Ran(1, actor, MessageKind.EXPIRE));
      for (int i = 0; i < 3; i++) {
        assertThat(members.node(i).state(actor)).as("state seen from member %d", i).isEmpty();
      }
    }
  }
}
