package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.wasm.Watchdog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {
  private final Watchdog watchdog = Watchdog.start(Duration.ofMillis(5), Threads.daemon("test"));
  private final NodeMetrics metrics = new NodeMetrics(null, null);
  private final TypeRegistry registry =
      new TypeRegistry(
          Mayfly.builder().snapshot(),
          watchdog,
          metrics,
          new TurnRecorder(Mayfly.builder().snapshot()));

  @AfterEach
  void stop() {
    registry.close();
    watchdog.close();
  }

  @Test
  void eachDeployIsTheNextVersionAndKeepsTheTypesCounters() {
    var v1 = registry.deploy("probe", Probe.WASM, TypeConfig.DEFAULTS);
    v1.counters().turns.increment();
    var v2 = registry.deploy("probe", Probe.WASM, TypeConfig.DEFAULTS);
    assertThat(v1.info().version()).isEqualTo(1);
    assertThat(v2.info().version()).isEqualTo(2);
    assertThat(v2.counters().turns.sum()).isEqualTo(1);
    assertThat(registry.get("probe")).isSameAs(v2);
    assertThat(v1.pool().cleared()).isTrue();
  }

  @Test
  void deploysAndUndeploysMoveTheEpochWorkersWatch() {
    int before = registry.epoch();
    registry.deploy("probe", Probe.WASM, TypeConfig.DEFAULTS);
    assertThat(registry.undeploy("probe")).isNotNull();
    assertThat(registry.epoch()).isEqualTo(before + 2);
    assertThat(registry.undeploy("probe")).isNull();
    assertThatThrownBy(() -> registry.require("probe"))
        .isInstanceOf(UnknownActorTypeException.class)
        .hasMessageContaining("'probe'");
  }

  @Test
  void aTypeNameThatIsNotValidIsRefused() {
    assertThatThrownBy(() -> registry.deploy("Bad Type", Probe.WASM, TypeConfig.DEFAULTS))
        .isInstanceOf(InvalidAddressException.class);
  }
}
