package io.mayfly.cluster;

import static io.mayfly.cluster.Members.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.MayflyClock;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.TurnListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages a committed turn sent to other actors survive the sender's member dying: the member is
 * terminated (no goodbye) right after it committed a turn of a chain's first stage, and every stage
 * of every chain whose first stage committed is applied exactly once; a chain whose first stage did
 * not commit applies nothing further.
 */
class OutboxFailoverTest {
  private static final int CHAINS = 16;

  /** After how many committed first stages on member 1 it dies. */
  private static final int CRASH_AFTER = 6;

  private Members members;

  @AfterEach
  void stop() {
    if (members != null) {
      members.close();
    }
  }

  @Test
  void aChainWhoseSendersMemberDiesRightAfterItsCommitAppliesEveryStageOnce() {
    var committed = new AtomicInteger();
    Members[] ref = new Members[1];
    TurnListener crashOnStageA =
        turn -> {
          if (turn.committed()
              && turn.message() instanceof Message.Tell
              && turn.address().id().startsWith("a")
              && committed.incrementAndGet() == CRASH_AFTER) {
            HazelcastMember dying = (HazelcastMember) ref[0].get(1);
            // Terminated from another thread (the node's close waits for its workers), and the
            // worker goes on only once it is: its turn's outputs cannot leave through it.
            Thread.ofPlatform().start(dying::crash);
            await().atMost(Duration.ofSeconds(30)).until(() -> !dying.running());
          }
        };
    members = Members.start(3, MayflyClock.system(), i -> i == 1 ? crashOnStageA : null);
    ref[0] = members;

    // Stage a and b on the member that dies, stage c on another. Stage b runs its part in a timer
    // turn (the probe's scripts nest one level): it counts, then sends to c.
    List<Address[]> chains = new ArrayList<>();
    for (int i = 0; i < CHAINS; i++) {
      chains.add(
          new Address[] {
            members.ownedBy(1, "a" + i + "-"),
            members.ownedBy(1, "b" + i + "-"),
            members.ownedBy(2, "c" + i + "-")
          });
    }
    for (Address[] chain : chains) {
      members
          .node(0)
          .tell(
              chain[0],
              Members.bytes(
                  "inc:n;send:" + chain[1] + "=timer:0=inc:n|send:" + chain[2] + "=inc:n"));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> members.ownerOf(chains.get(0)[0]) >= 0 && members.ownerOf(chains.get(0)[0]) != 1);
    members.awaitSettled();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              int done = 0;
              for (Address[] chain : chains) {
                String a = peek(members.node(0), chain[0], "n");
                String b = peek(members.node(0), chain[1], "n");
                String c = peek(members.node(2), chain[2], "n");
                if ("1".equals(a)) {
                  assertThat(b).as("stage b of %s", chain[0]).isEqualTo("1");
                  assertThat(c).as("stage c of %s", chain[0]).isEqualTo("1");
                  done++;
                } else {
                  assertThat(a).as("stage a of %s", chain[0]).isNull();
                  assertThat(b).as("stage b of %s", chain[0]).isNull();
                  assertThat(c).as("stage c of %s", chain[0]).isNull();
                }
              }
              // The member died after committing stage a of chains (those whose state was backed
              // up count here): their messages were sent by the new owners of those senders.
              assertThat(done).isPositive();
            });
  }
}
