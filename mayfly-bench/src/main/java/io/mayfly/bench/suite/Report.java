package io.mayfly.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The suite's results: printed to standard output as they come, and collected as Markdown into
 * {@code results.md} in the output directory (plots sit next to it and are referenced by name).
 */
public final class Report {
  private final StringBuilder markdown = new StringBuilder();
  private final PrintStream terminal;

  public Report(PrintStream terminal) {
    this.terminal = terminal;
  }

  /** Starts a section (one per workload). */
  public synchronized void section(String title) {
    terminal.println();
    terminal.println("== " + title + " ==");
    markdown.append("\n## ").append(title).append("\n\n");
  }

  /** A paragraph: what is measured, how, and what the peers are. */
  public synchronized void text(String paragraph) {
    terminal.println(paragraph);
    markdown.append(paragraph).append("\n\n");
  }

  public synchronized void table(Table table) {
    terminal.println();
    terminal.print(table.toText());
    markdown.append(table.toMarkdown()).append('\n');
  }

  /** A plot written by {@link Charts} into the output directory, with a caption. */
  public synchronized void plot(Path file, String caption) {
    terminal.println("plot: " + file);
    markdown.append("![").append(caption).append("](").append(file.getFileName()).append(")\n\n");
  }

  /** A workload that could not run, and why. */
  public synchronized void failure(String what, Throwable error) {
    terminal.println("FAILED: " + what + ": " + error);
    markdown.append("**Not measured:** ").append(what).append(": `").append(error).append("`\n\n");
  }

  public synchronized String markdown() {
    return markdown.toString();
  }

  /** Writes {@code results.md} into {@code dir} and returns its path. */
  public synchronized Path write(Path dir, String header) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("results.md");
    Files.writeString(file, header + markdown, StandardCharsets.UTF_8);
    return file;
  }
}
