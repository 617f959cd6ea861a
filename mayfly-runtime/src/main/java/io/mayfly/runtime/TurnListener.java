package io.mayfly.runtime;

/**
 * Observes every turn after it committed or rolled back; the test kit records turns with it. Called
 * on the thread that ran the turn, so keep it quick.
 */
@FunctionalInterface
public interface TurnListener {
  /**
   * Called once for each turn, committed or failed, with everything it saw and did.
   *
   * @param turn the turn's record; a failed turn's {@code effects} are what was discarded
   */
  void onTurn(TurnRecord turn);
}
