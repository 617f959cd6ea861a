/**
 * Mayfly's actor runtime: the embedded node ({@code io.mayfly.runtime}) and the interfaces a
 * cluster or a turn recorder implements ({@code io.mayfly.runtime.spi}). Everything else is
 * package-private.
 */
module io.mayfly.runtime {
  requires transitive io.mayfly.wasm;
  requires transitive micrometer.core;
  requires com.github.benmanes.caffeine;

  exports io.mayfly.runtime;
  exports io.mayfly.runtime.spi;
}
