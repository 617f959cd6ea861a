package io.mayfly.bench.exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Grouped bars on a logarithmic y axis, as PNG. XChart's bar charts start the y axis at zero, which
 * a logarithmic axis cannot show, so the axis here starts at the power of ten below the smallest
 * bar.
 */
final class LogBars {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private LogBars() {}

  /** Writes the plot to {@code dir/file} ({@code file} ends with {@code .png}). */
  static Path write(
      Path dir,
      String file,
      String title,
      String yTitle,
      List<String> categories,
      LinkedHashMap<String, List<Double>> series)
      throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setYAxisLogarithmic(true);
    double smallest =
        series.values().stream()
            .flatMap(List::stream)
            .mapToDouble(Double::doubleValue)
            .filter(v -> v > 0)
            .min()
            .orElse(1);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    Files.createDirectories(dir);
    Path path = dir.resolve(file);
    if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", path.toFile())) {
      throw new IOException("no PNG writer for " + path);
    }
    return path;
  }
}
