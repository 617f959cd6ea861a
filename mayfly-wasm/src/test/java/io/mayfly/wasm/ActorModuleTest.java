package io.mayfly.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.testing.Wat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Deploy refuses every module it cannot run, naming what is wrong. */
class ActorModuleTest {
  private static final Watchdog WATCHDOG =
      Watchdog.start(Duration.ofMillis(5), r -> new Thread(r, "test-watchdog"));

  static final String VALID_EXPORTS =
      """
      (memory (export "memory") 1)
      (func (export "mayfly_abi_version") (result i32) (i32.const 1))
      (func (export "mayfly_alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "mayfly_handle") (param i32 i32) (result i32) (i32.const 0))
      """;

  @AfterAll
  static void stop() {
    WATCHDOG.close();
  }

  static byte[] wat(String body) {
    return Wat.compile("(module " + body + ")");
  }

  static ActorModule compile(byte[] bytes) {
    return ActorModule.compile(bytes, ModuleLimits.DEFAULTS);
  }

  @Test
  void aValidModuleIsDescribed() {
    byte[] bytes = wat(VALID_EXPORTS);
    ModuleInfo info = compile(bytes).info();
    assertThat(info.sizeBytes()).isEqualTo(bytes.length);
    assertThat(info.sha256()).hasSize(64);
    assertThat(info.exports()).contains("memory", "mayfly_handle");
    assertThat(info.hasExpiryHandler()).isFalse();
    assertThat(info.engine()).isEqualTo(ModuleInfo.Engine.COMPILED);
  }

  @Test
  void bytesThatAreNotWasmAreRefused() {
    assertThatThrownBy(() -> compile("hello world, not wasm".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining("not a WebAssembly module");
    assertThatThrownBy(() -> compile(new byte[0]))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining("not a WebAssembly module");
  }

  @Test
  void aTruncatedModuleIsRefused() {
    byte[] bytes = wat(VALID_EXPORTS);
    for (int cut : new int[] {9, bytes.length / 2, bytes.length - 1}) {
      assertThatThrownBy(() -> compile(Arrays.copyOf(bytes, cut)))
          .as("cut at %d of %d", cut, bytes.length)
          .isInstanceOf(InvalidModuleException.class)
          .hasMessageContaining("malformed or invalid module");
    }
  }

  @Test
  void anInvalidFunctionBodyIsRefused() {
    assertThatThrownBy(() -> compile(WasmBinary.invalidBody()))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining("malformed or invalid module");
  }

  @Test
  void aModuleOverTheSizeLimitIsRefusedBeforeParsing() {
    byte[] bytes = wat(VALID_EXPORTS);
    assertThatThrownBy(() -> ActorModule.compile(bytes, new ModuleLimits(16, 100, 16)))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining(bytes.length + " bytes, larger than the limit of 16 bytes");
  }

  @Test
  void missingExportsAreNamed() {
    assertThatThrownBy(() -> compile(wat(VALID_EXPORTS.replace("(export \"mayfly_handle\")", ""))))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("missing export 'mayfly_handle' (i32, i32) -> (i32)");
    assertThatThrownBy(() -> compile(wat(VALID_EXPORTS.replace("(export \"memory\")", ""))))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("missing export 'memory'");
    assertThatThrownBy(() -> compile(wat(VALID_EXPORTS.replace("(export \"mayfly_alloc\")", ""))))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("mayfly_alloc");
  }

  @Test
  void aMistypedExportIsNamed() {
    byte[] bytes =
        wat(
            VALID_EXPORTS.replace(
                "(func (export \"mayfly_handle\") (param i32 i32) (result i32) (i32.const 0))",
                "(func (export \"mayfly_handle\") (param i64) (result i32) (i32.const 0))"));
    assertThatThrownBy(() -> compile(bytes))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining(
            "export 'mayfly_handle' has signature (i64) -> (i32), expected (i32, i32) -> (i32)");
  }

  @Test
  void anUnknownImportIsNamed() {
    byte[] env = wat("(import \"env\" \"abort\" (func (param i32 i32 i32 i32)))" + VALID_EXPORTS);
    assertThatThrownBy(() -> compile(env))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("unknown import env.abort")
        .hasMessageContaining("the WASI subset of 'wasi_snapshot_preview1'");
    byte[] unknown = wat("(import \"mayfly\" \"teleport\" (func))" + VALID_EXPORTS);
    assertThatThrownBy(() -> compile(unknown))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("unknown import mayfly.teleport");
  }

  @Test
  void aMistypedImportIsNamed() {
    byte[] bytes =
        wat("(import \"mayfly\" \"state_get\" (func (param i32) (result i64)))" + VALID_EXPORTS);
    assertThatThrownBy(() -> compile(bytes))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining(
            "import mayfly.state_get has signature (i32) -> (i64), expected (i32, i32) -> (i64)");
  }

  @Test
  void anImportedMemoryIsRefused() {
    byte[] bytes =
        wat(
            "(import \"mayfly\" \"memory\" (memory 1))"
                + VALID_EXPORTS.replace(
                    "(memory (export \"memory\") 1)", "(export \"memory\" (memory 0))"));
    assertThatThrownBy(() -> compile(bytes))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("only functions may be imported");
  }

  @Test
  void anotherAbiVersionIsRefusedWithBothVersions() {
    ActorModule module =
        compile(
            wat(
                VALID_EXPORTS.replace(
                    "(result i32) (i32.const 1))", "(result i32) (i32.const 2))")));
    assertThatThrownBy(module::probe)
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("supports version 1");
  }

  @Test
  void memoryBeyondTheCapIsRefusedAndGrowthStopsAtTheCap() {
    byte[] big =
        wat(
            VALID_EXPORTS.replace(
                "(memory (export \"memory\") 1)", "(memory (export \"memory\") 300)"));
    assertThatThrownBy(() -> compile(big))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining("300 pages of memory at start, more than the cap of 256 pages");
    ActorModule capped =
        ActorModule.compile(
            wat(
                VALID_EXPORTS.replace(
                    "(memory (export \"memory\") 1)", "(memory (export \"memory\") 1 1000)")),
            ModuleLimits.DEFAULTS.withMaxMemoryPages(8));
    assertThat(capped.maxMemoryPages()).isEqualTo(8);
  }

  @Test
  void tooManyFunctionsAreRefused() {
    var body = new StringBuilder(VALID_EXPORTS);
    for (int i = 0; i < 20; i++) {
      body.append("(func)");
    }
    assertThatThrownBy(
            () -> ActorModule.compile(wat(body.toString()), new ModuleLimits(1 << 20, 10, 16)))
        .isInstanceOf(InvalidModuleException.class)
        .hasMessageContaining("23 functions, more than the limit of 10");
  }

  @Test
  void aStartFunctionThatNeverReturnsIsStoppedAtTheDeadline() {
    ActorModule module =
        compile(wat(VALID_EXPORTS + "(func $forever (loop (br 0))) (start $forever)"));
    try (Watchdog.Slot slot = WATCHDOG.register(Thread.currentThread())) {
      slot.arm(Duration.ofMillis(100));
      try {
        assertThatThrownBy(module::probe).isInstanceOf(TurnTimeoutException.class);
      } finally {
        assertThat(slot.disarm()).isTrue();
      }
    }
    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is cleared").isFalse();
  }

  @Test
  void aModuleWithTensOfThousandsOfFunctionsCompilesAndRuns() {
    var body = new StringBuilder(VALID_EXPORTS.replace("(i32.const 0))\n", "(call $f19999))\n"));
    for (int i = 0; i < 20_000; i++) {
      body.append("(func $f")
          .append(i)
          .append(" (result i32) (i32.const ")
          .append(i)
          .append("))\n");
    }
    ActorModule module = compile(wat(body.toString()));
    assertThat(module.info().functionCount()).isEqualTo(20_003);
    assertThat(module.probe().handle(new byte[0], null)).isEqualTo(19_999);
  }

  @Test
  void aFunctionTooLargeForOneJvmMethodFallsBackToTheInterpreter() {
    var huge = new StringBuilder("(func $huge (result i32) (local $x i32)\n");
    for (int i = 0; i < 12_000; i++) {
      huge.append("(local.set $x (i32.add (local.get $x) (i32.const 1)))\n");
    }
    huge.append("(local.get $x))\n");
    byte[] bytes = wat(VALID_EXPORTS.replace("(i32.const 0))\n", "(call $huge))\n") + huge);
    ActorModule module = compile(bytes);
    assertThat(module.probe().handle(new byte[0], null)).isEqualTo(12_000);
  }
}
