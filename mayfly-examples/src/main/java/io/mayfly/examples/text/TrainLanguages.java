package io.mayfly.examples.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Trains the language model of {@code examples/text} ({@link LanguageModel}): counts the hashed
 * byte trigrams of the training words of each language (add-one smoothing), on a seeded 80/20 split
 * per language, and writes {@code model/trigrams.bin}. Deterministic: {@link Random} with a fixed
 * seed and {@link StrictMath}, so the output is byte-identical on every JVM.
 *
 * <pre>
 * java -cp mayfly-examples/target/classes io.mayfly.examples.text.TrainLanguages \
 *     [words.tsv.gz [trigrams.bin [seed]]]
 * </pre>
 */
public final class TrainLanguages {
  public static final long SEED = 7;
  public static final int PHRASES_PER_LANGUAGE = 400;
  public static final Path DATA = Path.of("examples/text/data/words.tsv.gz");
  public static final Path MODEL = Path.of("examples/text/model/trigrams.bin");

  private TrainLanguages() {}

  /** One labelled item: a word or a phrase and the index of its language. */
  public record Item(String text, int lang) {}

  /** Training and held-out words, per language in dataset order, languages in order. */
  public record Split(List<Item> train, List<Item> test) {}

  public static int languageIndex(String code) {
    for (int i = 0; i < LanguageModel.LANGUAGES.length; i++) {
      if (LanguageModel.LANGUAGES[i].equals(code)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown language " + code);
  }

  /** Reads the gzipped "lang TAB word" lines. */
  public static List<Item> load(Path tsvGz) throws IOException {
    List<Item> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tsvGz)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int tab = line.indexOf('\t');
        out.add(new Item(line.substring(tab + 1), languageIndex(line.substring(0, tab))));
      }
    }
    return out;
  }

  /** Per language: shuffle the indices with Random(seed + lang), the first 20 % are held out. */
  public static Split split(List<Item> all, long seed) {
    List<Item> train = new ArrayList<>();
    List<Item> test = new ArrayList<>();
    for (int l = 0; l < LanguageModel.LANGUAGES.length; l++) {
      List<Item> mine = new ArrayList<>();
      for (Item it : all) {
        if (it.lang() == l) {
          mine.add(it);
        }
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < mine.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed + l));
      int held = (int) Math.round(mine.size() * 0.2);
      boolean[] isTest = new boolean[mine.size()];
      for (int i = 0; i < held; i++) {
        isTest[order.get(i)] = true;
      }
      for (int i = 0; i < mine.size(); i++) {
        (isTest[i] ? test : train).add(mine.get(i));
      }
    }
    return new Split(train, test);
  }

  /** 3-word phrases, each of held-out words of one language, drawn with Random(seed). */
  public static List<Item> phrases(List<Item> test, long seed) {
    Random rnd = new Random(seed);
    List<Item> out = new ArrayList<>();
    for (int l = 0; l < LanguageModel.LANGUAGES.length; l++) {
      List<String> words = new ArrayList<>();
      for (Item it : test) {
        if (it.lang() == l) {
          words.add(it.text());
        }
      }
      for (int p = 0; p < PHRASES_PER_LANGUAGE; p++) {
        String phrase =
            words.get(rnd.nextInt(words.size()))
                + " "
                + words.get(rnd.nextInt(words.size()))
                + " "
                + words.get(rnd.nextInt(words.size()));
        out.add(new Item(phrase, l));
      }
    }
    return out;
  }

  public static LanguageModel train(List<Item> train) {
    int langs = LanguageModel.LANGUAGES.length;
    long[][] counts = new long[langs][LanguageModel.BUCKETS];
    long[] totals = new long[langs];
    for (Item it : train) {
      byte[] s = LanguageModel.framed(it.text().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i + 2 < s.length; i++) {
        counts[it.lang()][LanguageModel.bucket(s[i], s[i + 1], s[i + 2])]++;
        totals[it.lang()]++;
      }
    }
    float[][] logp = new float[langs][LanguageModel.BUCKETS];
    for (int l = 0; l < langs; l++) {
      double denom = totals[l] + LanguageModel.BUCKETS;
      for (int b = 0; b < LanguageModel.BUCKETS; b++) {
        logp[l][b] = (float) StrictMath.log((counts[l][b] + 1) / denom);
      }
    }
    return new LanguageModel(logp);
  }

  public static double accuracy(LanguageModel model, List<Item> items) {
    int right = 0;
    for (Item it : items) {
      if (model.predict(it.text()) == it.lang()) {
        right++;
      }
    }
    return (double) right / items.size();
  }

  public static void main(String[] args) throws IOException {
    Path data = args.length > 0 ? Path.of(args[0]) : DATA;
    Path out = args.length > 1 ? Path.of(args[1]) : MODEL;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : SEED;
    List<Item> all = load(data);
    Split split = split(all, seed);
    long start = System.nanoTime();
    LanguageModel model = train(split.train());
    long ms = (System.nanoTime() - start) / 1_000_000;
    List<Item> phrases = phrases(split.test(), seed);
    System.out.printf(
        "text: %d words, %d train / %d held out; seed %d, %d ms%n",
        all.size(), split.train().size(), split.test().size(), seed, ms);
    System.out.printf(
        "accuracy: train words %.4f, held-out words %.4f, held-out 3-word phrases %.4f (%d)%n",
        accuracy(model, split.train()),
        accuracy(model, split.test()),
        accuracy(model, phrases),
        phrases.size());
    byte[] bytes = model.toBytes();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, bytes);
    System.out.printf("wrote %s (%d bytes)%n", out, bytes.length);
  }
}
