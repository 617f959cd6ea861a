package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.TurnEnvironment;

/**
 * Runs single turns of one module outside a node, each on a fresh instance, under the turn deadline
 * of the type configuration it is given: what replaying a recorded turn needs. Nothing a turn does
 * leaves the returned {@link TurnRecord}. Close it to stop its deadline watchdog.
 *
 * <pre>{@code
 * try (TurnExecutor executor = TurnExecutor.create(moduleBytes)) {
 *   TurnRecord again = executor.run(recorded.type(), recorded.message(), recorded.before(),
 *       recorded.nowNanos(), environment);
 * }
 * }</pre>
 */
public interface TurnExecutor extends AutoCloseable {
  /**
   * An executor of {@code module}, compiled on first use with the limits of the configuration a
   * turn runs under.
   *
   * @throws io.mayfly.wasm.InvalidModuleException if the bytes are not acceptable Wasm
   * @throws io.mayfly.wasm.AbiViolationException if the module does not follow the actor ABI
   */
  static TurnExecutor create(byte[] module) {
    return ModuleTurnExecutor.create(module);
  }

  /**
   * Runs one turn: {@code message} for its target, which has state {@code before} at {@code
   * nowNanos} (node clock, nanoseconds since the epoch), with the answers of {@code env}. The turn
   * commits or fails as on a node: the record's {@code after} is the state the node would store
   * (for an expiry turn, {@code before}: the state is dropped).
   *
   * @param type the type and configuration to run as; its module info is replaced by this module's
   */
  TurnRecord run(
      TypeInfo type, Message message, ActorState before, long nowNanos, TurnEnvironment env);

  /** The SHA-256 of the module (hex), as {@link io.mayfly.wasm.ModuleInfo#sha256()} has it. */
  String sha256();

  @Override
  void close();
}
