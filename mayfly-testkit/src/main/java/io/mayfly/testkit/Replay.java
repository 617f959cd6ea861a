package io.mayfly.testkit;

import io.mayfly.runtime.TurnExecutor;
import io.mayfly.runtime.TurnRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays recorded turns: runs a {@link TurnRecord}'s message on a fresh instance of a module, with
 * the recorded state, time, type configuration and host answers (ids, shared data, random seed),
 * and returns what the turn did. Replaying the module that ran the turn reproduces its effects
 * exactly; replaying another module shows what that code would have done instead.
 *
 * <pre>{@code
 * Recording recording = Recording.load(Path.of("bug-1234.json"));
 * TurnComparison c = Replay.compare(recording.turns().get(0), Files.readAllBytes(fixedModule));
 * assertThat(c.differences()).isEmpty();
 * }</pre>
 */
public final class Replay {
  private Replay() {}

  /**
   * Runs a recorded turn again on {@code module}.
   *
   * @throws io.mayfly.wasm.InvalidModuleException if the module is not acceptable Wasm
   * @throws io.mayfly.wasm.AbiViolationException if it does not follow the actor ABI
   */
  public static TurnResult turn(TurnRecord recorded, byte[] module) {
    try (TurnExecutor executor = TurnExecutor.create(module)) {
      return new TurnResult(run(executor, recorded));
    }
  }

  /** Runs a recorded turn again on {@code module} and compares what it did with the recording. */
  public static TurnComparison compare(TurnRecord recorded, byte[] module) {
    return compare(List.of(recorded), module).get(0);
  }

  /** Runs recorded turns again on {@code module}, each on its own, and compares each. */
  public static List<TurnComparison> compare(List<TurnRecord> recorded, byte[] module) {
    try (TurnExecutor executor = TurnExecutor.create(module)) {
      var out = new ArrayList<TurnComparison>(recorded.size());
      for (TurnRecord r : recorded) {
        out.add(TurnComparison.of(r, run(executor, r)));
      }
      return out;
    }
  }

  private static TurnRecord run(TurnExecutor executor, TurnRecord recorded) {
    return executor.run(
        recorded.type(),
        recorded.message(),
        recorded.before(),
        recorded.nowNanos(),
        new ReplayEnvironment(recorded));
  }
}
