package io.mayfly.runtime;

/**
 * How many lines one actor may write to the node's log through the ABI's {@code log}: a token
 * bucket that holds {@code burst} lines and refills at {@code linesPerSecond} on the node clock.
 * Lines past it are dropped, counted in {@code mayfly.actor.log.dropped} and summarized in one line
 * of the node's log. The turn's effects (the test kit, recorded turns) keep every line regardless.
 *
 * @param linesPerSecond the refill rate (positive)
 * @param burst the most lines written at once after a quiet spell (positive)
 */
public record GuestLogLimit(int linesPerSecond, int burst) {
  /** The default: 20 lines a second, bursts of 100. */
  public static final GuestLogLimit DEFAULT = new GuestLogLimit(20, 100);

  public GuestLogLimit {
    if (linesPerSecond < 1 || burst < 1) {
      throw new InvalidConfigException(
          "a guest log limit needs a positive rate and burst, was "
              + linesPerSecond
              + " lines/s, burst "
              + burst);
    }
  }
}
