package io.mayfly.bench.suite;

/**
 * A probe run in a child JVM did not give its figures: it exited with an error, ran too long, or
 * printed no (or a malformed) result line. The message names the probe and ends with the tail of
 * what it printed.
 */
public final class ProbeFailedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** How much of the child's output the message quotes. */
  private static final int TAIL_CHARS = 2000;

  private final String probe;
  private final String what;
  private final int exitStatus;

  /**
   * @param probe the probe's name and command line, as the reader should see it
   * @param what what went wrong ("exited with 1")
   * @param output what the probe printed (standard error and output), quoted at the end
   */
  public ProbeFailedException(String probe, String what, String output) {
    this(probe, what, output, 0);
  }

  /**
   * @param exitStatus the child's exit status when it exited with an error; 0 otherwise
   */
  public ProbeFailedException(String probe, String what, String output, int exitStatus) {
    super("probe " + probe + " " + what + tail(output));
    this.probe = probe;
    this.what = what;
    this.exitStatus = exitStatus;
  }

  /** The child's exit status when it exited with an error; 0 otherwise. */
  public int exitStatus() {
    return exitStatus;
  }

  /** The probe, as named in the message. */
  public String probe() {
    return probe;
  }

  /** What went wrong, without the probe's name and output. */
  public String what() {
    return what;
  }

  private static String tail(String output) {
    String text = output == null ? "" : output.strip();
    if (text.isEmpty()) {
      return "; it printed nothing";
    }
    if (text.length() > TAIL_CHARS) {
      text = "..." + text.substring(text.length() - TAIL_CHARS);
    }
    return "; its output ended with:\n" + text;
  }
}
