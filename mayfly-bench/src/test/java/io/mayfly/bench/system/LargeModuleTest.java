package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.wasm.ModuleInfo;
import org.junit.jupiter.api.Test;

/** The generated module of the deploy benchmark has the size asked for and is a working actor. */
class LargeModuleTest {
  @Test
  void theModuleIsTheSmallestOfItsShapeOfAtLeastOneHundredKib() {
    byte[] module = LargeModule.ofAtLeast(LargeModule.TARGET_BYTES);

    assertThat(module.length).isBetween(LargeModule.TARGET_BYTES, LargeModule.TARGET_BYTES + 300);
    assertThat(LargeModule.ofAtLeast(LargeModule.TARGET_BYTES)).isEqualTo(module);
  }

  @Test
  void itDeploysCompiledAndEachMessageStoresAFourByteResult() {
    byte[] module = LargeModule.ofAtLeast(LargeModule.TARGET_BYTES);
    try (Mayfly node = Mayfly.builder().synchronous(true).build()) {
      TypeInfo info = node.deploy("large", module);
      node.tell(Address.of("large", "a"), new byte[7]);
      node.tell(Address.of("large", "b"), new byte[7]);

      assertThat(info.module().engine()).isEqualTo(ModuleInfo.Engine.COMPILED);
      assertThat(info.module().sizeBytes()).isEqualTo(module.length);
      assertThat(node.stats().failedTurns()).isZero();
      // Not equal: the scratch area is the pooled instance's memory, which outlives a turn.
      assertThat(result(node, "a")).hasSize(4);
      assertThat(result(node, "b")).hasSize(4);
    }
  }

  private static byte[] result(Mayfly node, String id) {
    ActorSnapshot state = node.state(Address.of("large", id)).orElseThrow();
    return state.entries().get("r").value();
  }
}
