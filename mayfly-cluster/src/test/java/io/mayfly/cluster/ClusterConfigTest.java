package io.mayfly.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.runtime.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  @Test
  void theDefaultsAreALoopbackMemberWithOneBackupAndFastFailureDetection() {
    ClusterConfig c = ClusterConfig.builder().build();
    assertThat(c.name()).isEqualTo("mayfly");
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.nodeId()).isEqualTo("127.0.0.1-5701");
    assertThat(c.backupCount()).isEqualTo(1);
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.failureTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.minimumSize()).isEqualTo(1);
    assertThat(c.partitionCount()).isEqualTo(271);
    assertThat(c.members()).isEmpty();
  }

  @Test
  void aHealedSplitMergesWithinSecondsNotMinutes() {
    var hz = HazelcastMember.hazelcastConfig(ClusterConfig.builder().build());
    // Unless the JVM's system properties say otherwise (the test run sets neither).
    assertThat(hz.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("10");
    assertThat(hz.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("10");
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> ClusterConfig.builder().name("has space").build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cluster name")
        .hasMessageContaining("has space");
    assertThatThrownBy(() -> ClusterConfig.builder().member("10.0.0.1").build())
        .hasMessageContaining("host:port")
        .hasMessageContaining("10.0.0.1");
    assertThatThrownBy(() -> ClusterConfig.builder().members(List.of("a:0")).build())
        .hasMessageContaining("a:0");
    assertThatThrownBy(() -> ClusterConfig.builder().port(70_000).build())
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> ClusterConfig.builder().backupCount(7).build())
        .hasMessageContaining("backupCount must be in 0..6, was 7");
    assertThatThrownBy(
            () -> ClusterConfig.builder().failureTimeout(Duration.ofMillis(1500)).build())
        .hasMessageContaining("failureTimeout must be a whole number of seconds");
    assertThatThrownBy(
            () ->
                ClusterConfig.builder()
                    .heartbeatInterval(Duration.ofSeconds(3))
                    .failureTimeout(Duration.ofSeconds(5))
                    .build())
        .hasMessageContaining("at least twice heartbeatInterval");
    assertThatThrownBy(() -> ClusterConfig.builder().minimumSize(0).build())
        .hasMessageContaining("minimumSize");
    assertThatThrownBy(
            () -> ClusterConfig.builder().host("member-one.plant.example.internal").build())
        .hasMessageContaining("node id")
        .hasMessageContaining("set one");
  }
}
