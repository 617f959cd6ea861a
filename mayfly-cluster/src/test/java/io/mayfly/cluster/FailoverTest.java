package io.mayfly.cluster;

import static io.mayfly.cluster.Members.ask;
import static io.mayfly.cluster.Members.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.TurnFailedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member that leaves or dies loses no committed state: its actors resume on their new owners at
 * their last committed turn, with their timers re-armed from state.
 */
class FailoverTest {
  private Members members;

  @AfterEach
  void stop() {
    if (members != null) {
      members.close();
    }
  }

  @Test
  void stateAndTimersSurviveTheOwnersCrash() {
    members = Members.start(3);
    Address actor = members.ownedBy(1, "crash");
    assertThat(ask(members.node(0), actor, "inc:n;inc:n;timer:4000=app:t=fired"))
        .startsWith("1,2,");

    ((HazelcastMember) members.get(1)).crash();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> members.ownerOf(actor) >= 0 && members.ownerOf(actor) != 1);
    int successor = members.ownerOf(actor);
    assertThat(peek(members.node(successor), actor, "n")).isEqualTo("2");
    // The timer set before the crash fires on the successor, re-armed from the state.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "fired ".equals(peek(members.node(successor), actor, "t")));
    // And the actor goes on from its last committed turn.
    assertThat(ask(members.node(2), actor, "inc:n")).isEqualTo("3");
  }

  @Test
  void anAskRetriedWithItsIdempotencyKeyAfterTheOwnersCrashIsAnsweredOnceFromTheReplicatedState() {
    members = Members.start(3);
    Address actor = members.ownedBy(1, "retry");
    assertThat(retried(0, actor, "order-7")).isEqualTo("1");

    ((HazelcastMember) members.get(1)).crash();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> members.ownerOf(actor) >= 0 && members.ownerOf(actor) != 1);

    // The client did not hear the reply and retries through another member: same answer, once.
    assertThat(retried(2, actor, "order-7")).isEqualTo("1");
    assertThat(peek(members.node(0), actor, "n")).isEqualTo("1");
    assertThat(retried(2, actor, "order-8")).isEqualTo("2");
  }

  @Test
  void aConfirmedTellIsConfirmedThroughAnyMemberAndARetryAfterTheOwnersCrashIsNotAppliedAgain() {
    members = Members.start(3);
    Address actor = members.ownedBy(1, "confirmed");
    confirmed(0, actor, "inc:n", "tell-1").join(); // routed to the owner, confirmed back
    assertThat(peek(members.node(1), actor, "n")).isEqualTo("1"); // committed when confirmed
    assertThatThrownBy(() -> confirmed(2, actor, "inc:n;trap", null).join())
        .hasCauseInstanceOf(TurnFailedException.class);

    ((HazelcastMember) members.get(1)).crash();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> members.ownerOf(actor) >= 0 && members.ownerOf(actor) != 1);

    // The client did not hear the confirmation and retries through another member: confirmed at
    // once, from the ids the replicated state remembers, and not applied again.
    confirmed(2, actor, "inc:n", "tell-1").join();
    assertThat(peek(members.node(0), actor, "n")).isEqualTo("1");
    confirmed(2, actor, "inc:n", "tell-2").join();
    assertThat(peek(members.node(0), actor, "n")).isEqualTo("2");
  }

  private CompletableFuture<Void> confirmed(int member, Address actor, String script, String key) {
    return members
        .node(member)
        .tellConfirmed(actor, Members.bytes(script), Duration.ofSeconds(20), key, null)
        .toCompletableFuture();
  }

  private String retried(int member, Address actor, String key) {
    return Members.text(
        members
            .node(member)
            .ask(actor, Members.bytes("inc:n"), Duration.ofSeconds(20), key)
            .toCompletableFuture()
            .join());
  }

  @Test
  void stateSurvivesTheOwnerLeavingAndItsActorsMoveOn() {
    members = Members.start(3);
    Address actor = members.ownedBy(2, "leave");
    assertThat(ask(members.node(0), actor, "inc:n;sub:news/#")).isEqualTo("1,0");

    members.get(2).close();
    members.awaitSettled();

    int successor = members.ownerOf(actor);
    assertThat(successor).isIn(0, 1);
    assertThat(ask(members.node(1), actor, "inc:n")).isEqualTo("2");
    // Its subscription moved with it: a publication on its new owner reaches it.
    members.node(successor).publish("news/today", Members.bytes("hello"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(peek(members.node(0), actor, "inbox")).contains("hello"));
  }
}
