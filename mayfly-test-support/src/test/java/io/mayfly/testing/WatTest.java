package io.mayfly.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WAT compiles to Wasm in the JVM; an actor body gets the ABI imports and exports around it. */
class WatTest {
  @Test
  void anActorBodyBecomesAModuleWithTheAbiImportsAndExports() {
    WasmModule module =
        Parser.parse(
            Wat.actor(
                """
                (func (export "mayfly_handle") (param $p i32) (param $l i32) (result i32)
                  (drop (call $self))
                  (i32.const 0))
                """));

    List<String> exports = new ArrayList<>();
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      exports.add(module.exportSection().getExport(i).name());
    }
    assertThat(exports).contains("memory", "mayfly_abi_version", "mayfly_alloc", "mayfly_handle");
    assertThat(module.importSection().stream())
        .allSatisfy(i -> assertThat(i.module()).isEqualTo("mayfly"))
        .anySatisfy(i -> assertThat(i.name()).isEqualTo("self"))
        .anySatisfy(i -> assertThat(i.name()).isEqualTo("shared_get"));
  }

  @Test
  void aWholeModuleCompilesAsWritten() {
    WasmModule module = Parser.parse(Wat.compile("(module (memory (export \"memory\") 1))"));

    assertThat(module.exportSection().exportCount()).isEqualTo(1);
    assertThat(module.importSection().importCount()).isZero();
  }

  @Test
  void invalidTextFails() {
    assertThatThrownBy(() -> Wat.compile("(module (func (result i32) (i32.bogus 1)))"))
        .isInstanceOf(RuntimeException.class);
  }
}
