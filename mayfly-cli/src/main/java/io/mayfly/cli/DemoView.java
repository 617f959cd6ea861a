package io.mayfly.cli;

import io.mayfly.runtime.NodeStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the demo shows: on a terminal a screen redrawn in place once a second (ANSI cursor home and
 * clear), otherwise one plain line per second; and a summary at the end.
 */
final class DemoView {
  private static final String HOME = "\u001b[H";
  private static final String CLEAR_SCREEN = "\u001b[2J";
  private static final String CLEAR_LINE = "\u001b[K";
  private static final String CLEAR_BELOW = "\u001b[J";
  private static final String BOLD = "\u001b[1m";
  private static final String NORMAL = "\u001b[0m";

  /** One refresh: the figures of the last second and the totals so far. */
  record Frame(
      Duration elapsed,
      double readingsPerSecond,
      double turnsPerSecond,
      long readings,
      NodeStats stats,
      long askP50Nanos,
      long askP99Nanos,
      long asks,
      long askErrors,
      long mailboxFull,
      long alerts,
      long spikes,
      List<AlertLog.Alert> latestAlerts) {}

  /** The end of a run. */
  record Summary(
      Duration elapsed,
      long readings,
      NodeStats stats,
      long alerts,
      long spikes,
      long askP50Nanos,
      long askP99Nanos,
      long asks,
      long askErrors,
      long mailboxFull) {}

  private final PrintWriter out;
  private final boolean ansi;
  private final String title;
  private boolean cleared;

  /**
   * @param out where to draw
   * @param ansi redraw in place with ANSI escapes, or print plain lines
   * @param title what is running, for the first line
   */
  DemoView(PrintWriter out, boolean ansi, String title) {
    this.out = out;
    this.ansi = ansi;
    this.title = title;
  }

  /** Says what is about to run (plain output only: a terminal gets the screen a second later). */
  void starting() {
    if (!ansi) {
      out.println("mayfly demo: " + title);
      out.flush();
    }
  }

  void frame(Frame f) {
    if (ansi) {
      drawScreen(f);
    } else {
      out.println(plainLine(f));
    }
    out.flush();
  }

  private void drawScreen(Frame f) {
    var lines = new ArrayList<String>();
    lines.add(BOLD + "Mayfly demo" + NORMAL + ": " + title);
    lines.add("elapsed " + clock(f.elapsed()) + "    Ctrl-C stops");
    lines.add("");
    lines.add(row("readings sent", rate(f.readingsPerSecond()), count(f.readings()) + " total"));
    lines.add(
        row(
            "turns handled",
            rate(f.turnsPerSecond()),
            count(f.stats().turns()) + " total, " + count(f.stats().failedTurns()) + " failed"));
    lines.add(
        row(
            "ask latency",
            "p50 " + millis(f.askP50Nanos()),
            "p99 "
                + millis(f.askP99Nanos())
                + "   (sampled, "
                + count(f.askErrors())
                + " failed)"));
    lines.add(
        row(
            "actors",
            count(f.stats().activeActors()) + " active",
            count(f.stats().storedActors()) + " stored, state " + bytes(f.stats().stateBytes())));
    lines.add(
        row(
            "backpressure",
            count(f.mailboxFull()) + " full",
            "mailbox-full answers, retried after a pause"));
    lines.add(row("alerts", count(f.alerts()) + " total", count(f.spikes()) + " spikes injected"));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT, "  %-16s %10s %10s %10s", "latest alerts", "sensor", "value", "mean"));
    List<AlertLog.Alert> latest = f.latestAlerts();
    for (int i = latest.size() - 1; i >= 0; i--) {
      AlertLog.Alert a = latest.get(i);
      lines.add(
          String.format(
              Locale.ROOT, "  %-16s %10s %10.2f %10.2f", "", a.sensor(), a.value(), a.mean()));
    }
    var screen = new StringBuilder();
    if (!cleared) {
      screen.append(CLEAR_SCREEN);
      cleared = true;
    }
    screen.append(HOME);
    for (String line : lines) {
      screen.append(line).append(CLEAR_LINE).append(System.lineSeparator());
    }
    screen.append(CLEAR_BELOW);
    out.print(screen);
  }

  private static String plainLine(Frame f) {
    return String.format(
        Locale.ROOT,
        "[%s] sent %s  turns %s  ask p50 %s p99 %s  actors %s active %s stored  state %s"
            + "  alerts %s  mailbox-full %s",
        clock(f.elapsed()),
        rate(f.readingsPerSecond()),
        rate(f.turnsPerSecond()),
        millis(f.askP50Nanos()),
        millis(f.askP99Nanos()),
        count(f.stats().activeActors()),
        count(f.stats().storedActors()),
        bytes(f.stats().stateBytes()),
        count(f.alerts()),
        count(f.mailboxFull()));
  }

  void summary(Summary s) {
    double seconds = s.elapsed().toNanos() / 1e9;
    out.println();
    out.println(String.format(Locale.ROOT, "Summary after %.1f s: %s", seconds, title));
    out.println(row("readings sent", count(s.readings()), ""));
    out.println(
        row(
            "turns",
            count(s.stats().turns()),
            "avg "
                + rate(s.stats().turns() / Math.max(seconds, 1e-9))
                + ", "
                + count(s.stats().failedTurns())
                + " failed"));
    out.println(row("alerts", count(s.alerts()), count(s.spikes()) + " spikes injected"));
    out.println(
        row(
            "sampled asks",
            count(s.asks()),
            "latency p50 "
                + millis(s.askP50Nanos())
                + ", p99 "
                + millis(s.askP99Nanos())
                + ", "
                + count(s.askErrors())
                + " failed"));
    out.println(row("mailbox full", count(s.mailboxFull()), "readings retried after a pause"));
    out.flush();
  }

  private static String row(String label, String value, String detail) {
    return String.format(Locale.ROOT, "  %-16s %16s   %s", label, value, detail).stripTrailing();
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  static String millis(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
