package io.mayfly.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The suite's plots, written as PNG files into the output directory (headless, no display). */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A series of an x-y plot: one line with markers. */
  public record Series(String name, double[] x, double[] y) {}

  /**
   * A line plot, e.g. throughput against the number of actors, one series per implementation.
   *
   * @param file the file name in {@code dir} (with {@code .png})
   * @param logX whether the x axis is logarithmic
   * @param logY whether the y axis is logarithmic
   */
  public static Path lines(
      Path dir,
      String file,
      String title,
      String xTitle,
      String yTitle,
      boolean logX,
      boolean logY,
      List<Series> series)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y());
    }
    return save(chart, dir, file);
  }

  /**
   * A latency distribution: latency (ms, logarithmic) against the percentile, with the x axis as
   * {@code 1 / (1 - p)} on a logarithmic scale, so the tail (99 %, 99.9 %) gets as much room as the
   * median.
   */
  public static Path latencies(
      Path dir, String file, String title, Map<String, Histogram> histograms) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("percentile, as 1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9")
            .yAxisTitle("latency (ms)")
            .build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setMarkerSize(0);
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      Histogram h = e.getValue();
      if (h.getTotalCount() == 0) {
        continue;
      }
      var xs = new java.util.ArrayList<Double>();
      var ys = new java.util.ArrayList<Double>();
      for (HistogramIterationValue v : h.percentiles(5)) {
        double p = v.getPercentileLevelIteratedTo() / 100.0;
        if (p >= 0.9999) {
          break;
        }
        xs.add(1 / (1 - p));
        ys.add(Math.max(v.getValueIteratedTo() / 1e6, 1e-4));
      }
      if (!xs.isEmpty()) {
        chart.addSeries(e.getKey(), xs, ys);
      }
    }
    return save(chart, dir, file);
  }

  /**
   * Grouped bars: one group per category (e.g. a payload size), one bar per series (e.g. an
   * implementation).
   */
  public static Path bars(
      Path dir,
      String file,
      String title,
      String yTitle,
      boolean logY,
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
    chart.getStyler().setYAxisLogarithmic(logY);
    if (logY) {
      // Bars start at the axis minimum, which a logarithmic axis cannot put at 0: start at the
      // power of ten below the smallest bar.
      double smallest =
          series.values().stream()
              .flatMap(List::stream)
              .mapToDouble(Double::doubleValue)
              .filter(v -> v > 0)
              .min()
              .orElse(1);
      chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
    }
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      chart.addSeries(e.getKey(), categories, e.getValue());
    }
    return save(chart, dir, file);
  }

  private static Path save(IChart chart, Path dir, String file) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve(file);
    if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", path.toFile())) {
      throw new IOException("no PNG writer for " + path);
    }
    return path;
  }
}
