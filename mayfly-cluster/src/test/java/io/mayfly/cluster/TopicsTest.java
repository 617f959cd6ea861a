package io.mayfly.cluster;

import static io.mayfly.cluster.Members.ask;
import static io.mayfly.cluster.Members.bytes;
import static io.mayfly.cluster.Members.peek;
import static io.mayfly.cluster.Members.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Subscription;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three members in one JVM: a publication made on any member, by a turn or from outside, reaches
 * each subscribed actor once on its owner, each outside listener on every member once, and each
 * actor a type subscription names once.
 *
 * <p>Publications of one member keep their order, so once a member's last publication (its "end")
 * has arrived, every earlier one of it has too: counting then shows any duplicate.
 */
class TopicsTest {
  private static Members members;

  @BeforeAll
  static void start() {
    members = Members.start(3);
  }

  @AfterAll
  static void stop() {
    members.close();
  }

  /**
   * Publishes {@code payload} on {@code topic} from member {@code i}, from outside and by a turn.
   */
  private static void publishTwiceFrom(int i, String topic, String payload) {
    members.node(i).publish(topic, bytes(payload + "-outside"));
    Address publisher = members.ownedBy(i, "pub" + i + "-");
    assertThat(ask(members.node(i), publisher, "pub:" + topic + "=" + payload + "-turn"))
        .isEqualTo("0");
  }

  /**
   * Waits until the actor's inbox holds the "end" of every member, then returns it: by then every
   * earlier publication of each member has arrived as well.
   */
  private static String awaitEnds(io.mayfly.runtime.Mayfly owner, Address actor) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String inbox = peek(owner, actor, "inbox");
              return inbox != null
                  && count(inbox, "end0") + count(inbox, "end1") + count(inbox, "end2") == 3;
            });
    return peek(owner, actor, "inbox");
  }

  private static int count(String text, String word) {
    int n = 0;
    for (String line : text.split("\n")) {
      if (line.endsWith("|" + word)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void anActorSubscribedOnItsOwnerHearsEveryMembersPublicationsOnce() {
    Address subscriber = members.ownedBy(0, "sub");
    assertThat(ask(members.node(0), subscriber, "sub:news/#")).isEqualTo("0");

    for (int i = 0; i < 3; i++) {
      publishTwiceFrom(i, "news/m" + i, "m" + i);
      members.node(i).publish("news/end", bytes("end" + i));
    }
    String inbox = awaitEnds(members.node(0), subscriber);
    for (int i = 0; i < 3; i++) {
      assertThat(count(inbox, "m" + i + "-outside")).as("from member %d, outside", i).isOne();
      assertThat(count(inbox, "m" + i + "-turn")).as("from member %d, by a turn", i).isOne();
      assertThat(count(inbox, "end" + i)).isOne();
    }
    assertThat(inbox).contains("|news/m1|-|m1-outside", "|news/m2|-|m2-outside");
  }

  @Test
  void anOutsideListenerOnEveryMemberHearsEachPublicationOnce() {
    List<List<String>> heard = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> mine = new CopyOnWriteArrayList<>();
      heard.add(mine);
      subscriptions.add(
          members
              .node(i)
              .subscribe("feed/+", (topic, payload, publisher) -> mine.add(text(payload))));
    }
    try {
      for (int i = 0; i < 3; i++) {
        publishTwiceFrom(i, "feed/m" + i, "f" + i);
        members.node(i).publish("feed/end", bytes("end" + i));
      }
      for (int listener = 0; listener < 3; listener++) {
        List<String> mine = heard.get(listener);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> mine.containsAll(List.of("end0", "end1", "end2")));
        var expected = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
          expected.addAll(List.of("f" + i + "-outside", "f" + i + "-turn", "end" + i));
        }
        assertThat(mine)
            .as("listener on member %d", listener)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    } finally {
      subscriptions.forEach(Subscription::close);
    }
  }

  @Test
  void aTypeSubscriptionIsDeliveredOncePerPublicationNotOncePerMember() {
    members
        .node(1)
        .deploy("watcher", Members.PROBE, TypeConfig.builder().subscribe("alert/+", "{1}").build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> members.all.stream().allMatch(m -> m.node().type("watcher").isPresent()));
    Address watcher = members.ownedBy(2, "watcher", "w");

    for (int i = 0; i < 3; i++) {
      publishTwiceFrom(i, "alert/" + watcher.id(), "a" + i);
      members.node(i).publish("alert/" + watcher.id(), bytes("end" + i));
    }
    String inbox = awaitEnds(members.node(2), watcher);
    for (int i = 0; i < 3; i++) {
      assertThat(count(inbox, "a" + i + "-outside")).as("from member %d, outside", i).isOne();
      assertThat(count(inbox, "a" + i + "-turn")).as("from member %d, by a turn", i).isOne();
      assertThat(count(inbox, "end" + i)).isOne();
    }
  }
}
