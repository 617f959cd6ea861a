package io.mayfly.bench.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A table of results: a title, column headers and rows of already-formatted cells. */
public final class Table {
  private final String title;
  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Table(String title, String... columns) {
    this.title = title;
    this.columns = List.of(columns);
  }

  /** Adds a row; each cell is turned into text with {@link String#valueOf}. */
  public Table row(Object... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(
          "row of "
              + cells.length
              + " cells for "
              + columns.size()
              + " columns in table '"
              + title
              + "': "
              + Arrays.toString(cells));
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      row.add(String.valueOf(cell));
    }
    rows.add(List.copyOf(row));
    return this;
  }

  /** Adds a line printed under the table (how it was measured, what a ratio is against). */
  public Table note(String note) {
    notes.add(note);
    return this;
  }

  public String title() {
    return title;
  }

  public List<String> columns() {
    return columns;
  }

  public List<List<String>> rows() {
    return List.copyOf(rows);
  }

  /** The table as aligned plain text, for the terminal. */
  public String toText() {
    int[] widths = widths();
    var text = new StringBuilder(title).append('\n');
    appendLine(text, columns, widths);
    var rule = new StringBuilder();
    for (int w : widths) {
      rule.append("-".repeat(w)).append("  ");
    }
    text.append(rule.toString().stripTrailing()).append('\n');
    for (List<String> row : rows) {
      appendLine(text, row, widths);
    }
    for (String note : notes) {
      text.append("  ").append(note).append('\n');
    }
    return text.toString();
  }

  /** The table as GitHub Markdown, with its title in bold above it. */
  public String toMarkdown() {
    var md = new StringBuilder("**").append(title).append("**\n\n");
    md.append("| ").append(String.join(" | ", columns)).append(" |\n");
    md.append("|").append("---|".repeat(columns.size())).append('\n');
    for (List<String> row : rows) {
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      for (String note : notes) {
        md.append(note).append("  \n");
      }
    }
    return md.toString();
  }

  private int[] widths() {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    return widths;
  }

  private static void appendLine(StringBuilder text, List<String> cells, int[] widths) {
    var line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      // The first column is a label (left-aligned); the others are figures (right-aligned).
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(i == 0 ? cell + pad : pad + cell).append("  ");
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }
}
