package io.mayfly.examples.digits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Trains the digits classifier of {@code examples/digits}: a 64 → 32 (ReLU) → 10 (softmax)
 * perceptron, Adam on the cross-entropy, on a fixed stratified 80/20 split of the UCI 8x8 digits,
 * and writes the weights file that {@link DigitsModel} and the actor read.
 *
 * <p>Deterministic: the split, the initial weights and the mini-batch order come from {@link
 * Random} with a fixed seed (its algorithm is specified), training runs in {@code double} with
 * {@link StrictMath}, so the same seed and epochs give a byte-identical weights file on every JVM.
 *
 * <pre>
 * java -cp mayfly-examples/target/classes io.mayfly.examples.digits.TrainDigits \
 *     [data.csv.gz [weights.bin [seed [epochs]]]]
 * </pre>
 *
 * Defaults: {@code examples/digits/data/digits.csv.gz}, {@code examples/digits/model/weights.bin},
 * seed 7, 60 epochs (paths relative to the working directory: run it from the repository root).
 */
public final class TrainDigits {
  public static final long SEED = 7;
  public static final int EPOCHS = 60;
  public static final Path DATA = Path.of("examples/digits/data/digits.csv.gz");
  public static final Path WEIGHTS = Path.of("examples/digits/model/weights.bin");

  private static final int BATCH = 32;
  private static final double LEARNING_RATE = 0.003;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double WEIGHT_DECAY = 1e-4;

  private TrainDigits() {}

  /** One labelled image: 64 pixels 0..16 and its digit. */
  public record Sample(byte[] pixels, int label) {}

  /** The held-out split: training and test samples, each list in dataset order. */
  public record Split(List<Sample> train, List<Sample> test) {}

  /** Reads the gzipped CSV: one sample a line, 64 pixel values then the label. */
  public static List<Sample> load(Path csvGz) throws IOException {
    List<Sample> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csvGz)), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (f.length != DigitsModel.INPUTS + 1) {
          throw new IOException("line " + (out.size() + 1) + ": " + f.length + " fields");
        }
        byte[] pixels = new byte[DigitsModel.INPUTS];
        for (int i = 0; i < pixels.length; i++) {
          int v = (int) Double.parseDouble(f[i]);
          if (v < 0 || v > 16) {
            throw new IOException("line " + (out.size() + 1) + ": pixel " + v);
          }
          pixels[i] = (byte) v;
        }
        out.add(new Sample(pixels, (int) Double.parseDouble(f[DigitsModel.INPUTS])));
      }
    }
    return out;
  }

  /**
   * A stratified split: each digit's samples are shuffled with the seed, the first 20 % (rounded)
   * go to the test set, the rest to training.
   */
  public static Split split(List<Sample> all, long seed) {
    Random random = new Random(seed);
    boolean[] test = new boolean[all.size()];
    for (int digit = 0; digit < DigitsModel.OUTPUTS; digit++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).label() == digit) {
          idx.add(i);
        }
      }
      int[] order = idx.stream().mapToInt(Integer::intValue).toArray();
      shuffle(order, random);
      int n = (int) Math.round(order.length * 0.2);
      for (int i = 0; i < n; i++) {
        test[order[i]] = true;
      }
    }
    List<Sample> trainSet = new ArrayList<>();
    List<Sample> testSet = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (test[i] ? testSet : trainSet).add(all.get(i));
    }
    return new Split(List.copyOf(trainSet), List.copyOf(testSet));
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Trains on {@code train} and returns the model (its weights rounded to float). */
  public static DigitsModel train(List<Sample> train, long seed, int epochs) {
    final int in = DigitsModel.INPUTS;
    final int hid = DigitsModel.HIDDEN;
    final int out = DigitsModel.OUTPUTS;
    Random random = new Random(seed);
    // parameters, in one array: w1[hid][in], b1[hid], w2[out][hid], b2[out]
    final int ob1 = hid * in;
    final int ow2 = ob1 + hid;
    final int ob2 = ow2 + out * hid;
    final int size = ob2 + out;
    double[] p = new double[size];
    double s1 = StrictMath.sqrt(2.0 / in);
    double s2 = StrictMath.sqrt(1.0 / hid);
    for (int i = 0; i < ob1; i++) {
      p[i] = random.nextGaussian() * s1;
    }
    for (int i = ow2; i < ob2; i++) {
      p[i] = random.nextGaussian() * s2;
    }
    double[] m = new double[size];
    double[] v = new double[size];
    double[] g = new double[size];
    double[] x = new double[in];
    double[] h = new double[hid];
    double[] o = new double[out];
    double[] dh = new double[hid];
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long step = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += BATCH) {
        int end = Math.min(order.length, start + BATCH);
        Arrays.fill(g, 0);
        for (int b = start; b < end; b++) {
          Sample s = train.get(order[b]);
          for (int i = 0; i < in; i++) {
            x[i] = s.pixels()[i] / 16.0;
          }
          for (int j = 0; j < hid; j++) {
            double z = p[ob1 + j];
            for (int i = 0; i < in; i++) {
              z += p[j * in + i] * x[i];
            }
            h[j] = Math.max(0, z);
          }
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < out; k++) {
            double z = p[ob2 + k];
            for (int j = 0; j < hid; j++) {
              z += p[ow2 + k * hid + j] * h[j];
            }
            o[k] = z;
            max = Math.max(max, z);
          }
          double sum = 0;
          for (int k = 0; k < out; k++) {
            o[k] = StrictMath.exp(o[k] - max);
            sum += o[k];
          }
          Arrays.fill(dh, 0);
          for (int k = 0; k < out; k++) {
            double d = o[k] / sum - (k == s.label() ? 1 : 0); // dLoss/dlogit
            g[ob2 + k] += d;
            for (int j = 0; j < hid; j++) {
              g[ow2 + k * hid + j] += d * h[j];
              dh[j] += d * p[ow2 + k * hid + j];
            }
          }
          for (int j = 0; j < hid; j++) {
            if (h[j] <= 0) {
              continue;
            }
            g[ob1 + j] += dh[j];
            for (int i = 0; i < in; i++) {
              g[j * in + i] += dh[j] * x[i];
            }
          }
        }
        step++;
        double n = end - start;
        double c1 = 1 - StrictMath.pow(BETA1, step);
        double c2 = 1 - StrictMath.pow(BETA2, step);
        for (int i = 0; i < size; i++) {
          boolean bias = (i >= ob1 && i < ow2) || i >= ob2;
          double gi = g[i] / n + (bias ? 0 : WEIGHT_DECAY * p[i]);
          m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
          v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
          p[i] -= LEARNING_RATE * (m[i] / c1) / (StrictMath.sqrt(v[i] / c2) + EPSILON);
        }
      }
    }
    return new DigitsModel(
        floats(p, 0, ob1), floats(p, ob1, ow2), floats(p, ow2, ob2), floats(p, ob2, size));
  }

  private static float[] floats(double[] p, int from, int to) {
    float[] f = new float[to - from];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) p[from + i];
    }
    return f;
  }

  /** The fraction of samples the model classifies correctly. */
  public static double accuracy(DigitsModel model, List<Sample> samples) {
    int right = 0;
    for (Sample s : samples) {
      if (model.predict(s.pixels()) == s.label()) {
        right++;
      }
    }
    return (double) right / samples.size();
  }

  public static void main(String[] args) throws IOException {
    Path data = args.length > 0 ? Path.of(args[0]) : DATA;
    Path weights = args.length > 1 ? Path.of(args[1]) : WEIGHTS;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : SEED;
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : EPOCHS;
    List<Sample> all = load(data);
    Split split = split(all, seed);
    long t0 = System.nanoTime();
    DigitsModel model = train(split.train(), seed, epochs);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    byte[] bytes = model.toBytes();
    if (weights.getParent() != null) {
      Files.createDirectories(weights.getParent());
    }
    Files.write(weights, bytes);
    System.out.printf(
        "digits: %d samples, %d train / %d held out; seed %d, %d epochs, %d ms%n",
        all.size(), split.train().size(), split.test().size(), seed, epochs, ms);
    System.out.printf(
        "accuracy: train %.4f, held-out %.4f%n",
        accuracy(model, split.train()), accuracy(model, split.test()));
    System.out.printf("wrote %s (%d bytes)%n", weights, bytes.length);
  }
}
