package io.mayfly.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.FailureReason;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.testing.Ports;
import org.junit.jupiter.api.Test;

/** A side of the cluster smaller than its minimum size commits nothing: no output leaves. */
class MinimumSizeTest {
  @Test
  void aMemberAloneBelowTheMinimumSizeRefusesToCommitAndSaysWhy() {
    int port = Ports.freeLoopback();
    var config =
        ClusterConfig.builder()
            .name("minimum-" + port)
            .port(port)
            .minimumSize(2)
            .partitionCount(Members.PARTITIONS)
            .build();
    try (ClusterMember member = ClusterMember.join(config, Mayfly.builder().workers(1))) {
      member.node().deploy("probe", Members.PROBE);
      assertThat(member.status().quorum()).isFalse();
      Address actor = Address.parse("probe/alone");
      assertThatThrownBy(() -> Members.ask(member.node(), actor, "inc:n"))
          .isInstanceOf(TurnFailedException.class)
          .satisfies(
              e ->
                  assertThat(((TurnFailedException) e).reason())
                      .isEqualTo(FailureReason.STATE_NOT_SAVED))
          .hasMessageContaining("not replicated");
      assertThat(member.node().state(actor)).isEmpty();
    }
  }
}
