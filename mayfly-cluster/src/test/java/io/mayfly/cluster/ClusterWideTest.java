package io.mayfly.cluster;

import static io.mayfly.cluster.Members.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.wasm.InvalidModuleException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploys, undeploys and shared data made on one member apply to all, joiners included. */
class ClusterWideTest {
  private static Members members;

  @BeforeAll
  static void start() {
    members = Members.start(2);
  }

  @AfterAll
  static void stop() {
    members.close();
  }

  private static boolean deployedEverywhere(String type, boolean deployed) {
    for (ClusterMember m : members.all) {
      if (m != null
          && !((HazelcastMember) m).closed()
          && m.node().type(type).isPresent() != deployed) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aTypeDeployedOnOneMemberRunsFromEveryMemberWithItsSettingsUntilUndeployed() {
    var config = TypeConfig.builder().ttl(Ttl.afterAccess(Duration.ofMinutes(7))).build();
    members.node(0).deploy("echo", Members.PROBE, config);
    await().atMost(Duration.ofSeconds(20)).until(() -> deployedEverywhere("echo", true));
    assertThat(members.node(1).type("echo")).get().extracting(TypeInfo::config).isEqualTo(config);
    Address actor = members.ownedBy(1, "echo", "e");
    assertThat(ask(members.node(0), actor, "inc:n")).isEqualTo("1");

    members.node(1).undeploy("echo");
    await().atMost(Duration.ofSeconds(20)).until(() -> deployedEverywhere("echo", false));
  }

  @Test
  void aBadModuleIsRefusedToItsDeployerAndReachesNoOtherMember() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> members.node(1).deploy("broken", new byte[] {0, 'a', 's', 'm', 9, 9, 9, 9}))
        .isInstanceOf(InvalidModuleException.class);
    assertThat(members.node(0).type("broken")).isEmpty();
  }

  @Test
  void sharedDataPutOnOneMemberIsReadByActorsOnEveryMember() {
    members.node(1).putSharedData("greeting", Members.bytes("hello"));
    for (int owner = 0; owner < 2; owner++) {
      Address actor = members.ownedBy(owner, "reader");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ask(members.node(0), actor, "shared:greeting").equals("hello"));
    }
  }

  @Test
  void aMemberThatJoinsLaterGetsTheTypesAndSharedData() {
    members.node(0).deploy("late", Members.PROBE);
    members.node(0).putSharedData("motto", Members.bytes("carpe diem"));
    int joined = members.join();
    members.awaitSettled();
    assertThat(members.node(joined).type("late")).isPresent();
    Address actor = members.ownedBy(joined, "late", "l");
    assertThat(ask(members.node(joined), actor, "shared:motto")).isEqualTo("carpe diem");
  }
}
