package io.mayfly.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cluster view refuses what {@code GET /v1/cluster} could not serve, naming it. */
class ClusterViewTest {
  private static final ClusterView.Member A = new ClusterView.Member("a", "h:1", true, 3);

  @Test
  void aViewWithoutMembersOrWithNegativeFiguresIsRefused() {
    assertThatThrownBy(() -> new ClusterView("c", "a", "h:1", List.of(), 3, 1, 0, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("members");
    assertThatThrownBy(() -> new ClusterView("c", "a", "h:1", List.of(A), 3, 1, 0, -1))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("replicationBacklog");
    assertThatThrownBy(() -> new ClusterView("c", "a", "h:1", List.of(A), 0, 1, 0, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("partitionCount");
    assertThatThrownBy(() -> new ClusterView.Member("b", "h:2", false, -1))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("partitions");
    assertThatThrownBy(() -> MayflyHttpServer.builder().clusterView(null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("clusterView");
  }

  @Test
  void theViewKeepsItsOwnCopyOfTheMembersAndKnowsItsQuorum() {
    var members = new ArrayList<>(List.of(A));
    var view = new ClusterView("c", "a", "h:1", members, 3, 2, 0, 0);
    members.add(new ClusterView.Member("b", "h:2", false, 0));
    assertThat(view.members()).containsExactly(A);
    assertThat(view.quorum()).isFalse();
    assertThat(new ClusterView("c", "a", "h:1", members, 3, 2, 0, 0).quorum()).isTrue();
  }
}
