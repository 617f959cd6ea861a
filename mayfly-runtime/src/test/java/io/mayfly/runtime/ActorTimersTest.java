package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActorTimersTest {
  private final ManualClock clock = ManualClock.create();
  private final StateStore store = StateStore.inMemory(clock, 1 << 20);
  private final Timers timers = new Timers();
  private final List<Message> sent = new ArrayList<>();
  private boolean local = true;
  private final ActorTimers actorTimers = new ActorTimers(timers, store, a -> local, sent::add);
  private final Address actor = Address.parse("t/a");
  private final long now = clock.nanoTime();

  private void commit(PendingTimer... pending) {
    var byId = new java.util.HashMap<Long, PendingTimer>();
    for (PendingTimer t : pending) {
      byId.put(t.id(), t);
    }
    store.put(actor, ActorState.of(Map.of(), null, Long.MAX_VALUE, byId, Set.of()), now);
  }

  @Test
  void aDueTimerDeliversThePayloadKeptInState() {
    commit(new PendingTimer(5, now + 10, "p".getBytes()));
    actorTimers.arm(actor, 5, now + 10, null);
    timers.advanceTo(now + 9);
    assertThat(sent).isEmpty();
    timers.advanceTo(now + 10);
    assertThat(sent)
        .singleElement()
        .isInstanceOfSatisfying(
            Message.Timer.class,
            t -> {
              assertThat(t.timerId()).isEqualTo(5);
              assertThat(new String(t.payload())).isEqualTo("p");
            });
  }

  @Test
  void aTimerNoLongerInStateFiresNothing() {
    actorTimers.arm(actor, 5, now + 10, null);
    timers.advanceTo(now + 10);
    assertThat(sent).isEmpty();
  }

  @Test
  void rearmingFromStateAloneBringsBackEveryTimer() {
    commit(new PendingTimer(1, now + 10, new byte[0]), new PendingTimer(2, now + 20, new byte[0]));
    actorTimers.rearm(actor, store.peek(actor));
    timers.advanceTo(now + 20);
    assertThat(sent).extracting(Message::correlationId).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void aTimerOfAnActorThatMovedAwayIsLeftToItsNewOwner() {
    commit(new PendingTimer(1, now + 10, new byte[0]));
    actorTimers.arm(actor, 1, now + 10, null);
    local = false;
    timers.advanceTo(now + 10);
    assertThat(sent).isEmpty();
  }
}
