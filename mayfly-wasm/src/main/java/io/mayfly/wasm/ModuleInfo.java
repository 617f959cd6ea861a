package io.mayfly.wasm;

import java.util.List;

/**
 * What deploy learned about a module.
 *
 * @param sha256 hex digest of the module bytes
 * @param sizeBytes size of the module
 * @param functionCount imported plus defined functions
 * @param imports the host functions it imports: names in the {@code mayfly} namespace, and WASI
 *     functions as {@code wasi_snapshot_preview1.NAME}
 * @param exports its exported names
 * @param hasExpiryHandler whether it exports {@code mayfly_on_expire}
 * @param engine how its code runs
 */
public record ModuleInfo(
    String sha256,
    int sizeBytes,
    int functionCount,
    List<String> imports,
    List<String> exports,
    boolean hasExpiryHandler,
    Engine engine) {

  /** How a module's code runs. */
  public enum Engine {
    /** Compiled to JVM bytecode; functions too large for one JVM method are interpreted. */
    COMPILED,
    /** Interpreted: the compiler refused the module. */
    INTERPRETED
  }
}
