package io.mayfly.runtime;

/**
 * Observes every turn after it committed or rolled back; the test kit records turns with it. Called
 * on the thread that ran the turn, so keep it quick.
 */
@FunctionalInterface
public interface TurnListener {
  void onTurn(TurnRecord turn);
}
