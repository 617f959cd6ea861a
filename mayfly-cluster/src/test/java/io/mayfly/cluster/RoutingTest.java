package io.mayfly.cluster;

import static io.mayfly.cluster.Members.ask;
import static io.mayfly.cluster.Members.bytes;
import static io.mayfly.cluster.Members.peek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.TurnRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three members in one JVM: whatever member a message enters, it reaches its actor's owner. */
class RoutingTest {
  private static final List<List<TurnRecord>> turns =
      List.of(
          new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
  private static Members members;

  @BeforeAll
  static void start() {
    members = Members.start(3, io.mayfly.runtime.MayflyClock.system(), i -> turns.get(i)::add);
  }

  @AfterAll
  static void stop() {
    members.close();
  }

  private static List<Integer> membersThatRan(Address address) {
    var ran = new java.util.ArrayList<Integer>();
    for (int i = 0; i < 3; i++) {
      if (turns.get(i).stream().anyMatch(t -> t.address().equals(address))) {
        ran.add(i);
      }
    }
    return ran;
  }

  @Test
  void everyMemberOwnsSomePartitions() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> members.get(0).status().members().size() == 3);
    for (int i = 0; i < 3; i++) {
      assertThat(members.get(i).status().partitionsOwned()).as("member %d", i).isPositive();
    }
    // Every member sees the same table: each one's share, summing to the partition count.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 3; i++) {
                ClusterStatus status = members.get(i).status();
                assertThat(status.members().stream().mapToInt(ClusterStatus.Member::partitions))
                    .as("member %d", i)
                    .allMatch(n -> n > 0);
                assertThat(
                        status.members().stream().mapToInt(ClusterStatus.Member::partitions).sum())
                    .isEqualTo(status.partitionCount());
                assertThat(status.local().partitions()).isEqualTo(status.partitionsOwned());
                assertThat(status.local().nodeId()).isEqualTo(status.self());
              }
            });
  }

  @Test
  void anAskEnteringAnyMemberRunsOnTheOwnerAndReturnsToTheAsker() {
    for (int owner = 0; owner < 3; owner++) {
      Address actor = members.ownedBy(owner, "ask");
      for (int from = 0; from < 3; from++) {
        assertThat(ask(members.node(from), actor, "inc:n")).isEqualTo(String.valueOf(from + 1));
      }
      assertThat(membersThatRan(actor)).containsExactly(owner);
    }
  }

  @Test
  void aTellEnteringAnyMemberReachesTheOwner() {
    Address actor = members.ownedBy(2, "tell");
    for (int from = 0; from < 3; from++) {
      members.node(from).tell(actor, bytes("inc:n"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "3".equals(peek(members.node(0), actor, "n")));
    assertThat(membersThatRan(actor)).containsExactly(2);
  }

  @Test
  void actorsOnDifferentMembersAskEachOtherAndReply() {
    Address asker = members.ownedBy(0, "asker");
    Address asked = members.ownedBy(1, "asked");
    ask(members.node(2), asker, "ask:" + asked + "=reply:pong");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(peek(members.node(2), asker, "inbox")).contains("pong"));
  }

  @Test
  void aDeferredReplyFromAnotherMemberFindsTheAsk() {
    Address actor = members.ownedBy(1, "deferred");
    var pending =
        members.node(0).ask(actor, bytes("handle:h"), Duration.ofSeconds(30)).toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> peek(members.node(2), actor, "h") != null);
    assertThat(ask(members.node(2), actor, "replyto:h=later")).isEqualTo("0");
    assertThat(pending)
        .succeedsWithin(Duration.ofSeconds(10))
        .extracting(Members::text)
        .isEqualTo("later");
  }

  @Test
  void aTimerFiresOnTheOwner() {
    Address actor = members.ownedBy(2, "timer");
    ask(members.node(0), actor, "timer:50=app:t=fired");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(peek(members.node(1), actor, "t")).contains("fired"));
    assertThat(membersThatRan(actor)).containsExactly(2);
  }

  @Test
  void aPublicationFromAnyMemberReachesASubscriberOnItsOwner() {
    Address subscriber = members.ownedBy(1, "sub");
    ask(members.node(1), subscriber, "sub:alerts/#");
    Address publisher = members.ownedBy(1, "pub");
    ask(members.node(0), publisher, "pub:alerts/x=hot");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(peek(members.node(2), subscriber, "inbox")).contains("hot"));
  }

  @Test
  void theReplicatedStateIsReadableFromEveryMember() {
    Address actor = members.ownedBy(0, "state");
    ask(members.node(1), actor, "put:k=v");
    var seen = new ConcurrentHashMap<Integer, String>();
    for (int i = 0; i < 3; i++) {
      seen.put(i, String.valueOf(peek(members.node(i), actor, "k")));
    }
    assertThat(seen.values()).containsOnly("v");
  }
}
