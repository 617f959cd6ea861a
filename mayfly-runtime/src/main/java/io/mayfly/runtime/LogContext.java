package io.mayfly.runtime;

/**
 * The actor and trace of a log line a turn produces: the guest's own lines (the ABI's {@code log})
 * and the node's lines about the turn (failed, dropped lines, moved). Such a record's format is
 * {@code "{0}: {1}"}, with this context as the first parameter and the text as the second, so a
 * plain formatter writes {@code "sensor/7 trace=4bf9…: text"} and a structured one (the CLI's
 * {@code --log-format json}) writes the two as fields of their own.
 *
 * @param actor the actor whose turn it was
 * @param traceId the turn's trace while the node traces, otherwise {@code null}
 */
public record LogContext(Address actor, String traceId) {
  /** The format of every log record with a context. */
  public static final String FORMAT = "{0}: {1}";

  /**
   * The logger of an actor's own lines and of what the node says about them: {@code
   * mayfly.actor.TYPE}.
   */
  static System.Logger actorLogger(Address actor) {
    return System.getLogger("mayfly.actor." + actor.type());
  }

  /** Logs {@code text} about a turn of {@code actor} in {@code trace} (or none). */
  static void log(
      System.Logger logger,
      System.Logger.Level level,
      Address actor,
      TraceContext trace,
      String text) {
    if (logger.isLoggable(level)) {
      logger.log(
          level, FORMAT, new LogContext(actor, trace == null ? null : trace.traceId()), text);
    }
  }

  @Override
  public String toString() {
    return traceId == null ? actor.toString() : actor + " trace=" + traceId;
  }
}
