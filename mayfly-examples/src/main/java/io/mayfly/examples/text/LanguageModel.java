package io.mayfly.examples.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The language model of {@code examples/text} and the same inference as the actor ({@code
 * examples/text/c/langid.c}): character-trigram naive Bayes over UTF-8 bytes, hashed into {@link
 * #BUCKETS} buckets per language.
 *
 * <p>File layout ({@code model/trigrams.bin}, little-endian): {@code u32 magic "MFT1"}, {@code u32
 * languages (5)}, {@code u32 buckets (4096)}, {@code u32 0}, then per language 4 bytes (2 ASCII
 * letters of the code, 2 zero bytes), then per language {@code buckets} float32 log-probabilities.
 *
 * <p>Features: the text framed by one space on each side, every 3 consecutive bytes hashed with
 * 32-bit FNV-1a, bucket = hash &amp; (buckets - 1). A language's score is the float32 sum of its
 * log-probabilities over the trigrams in text order (uniform prior); the prediction is the first
 * language with the highest score.
 */
public final class LanguageModel {
  public static final int MAGIC = 0x3154464d; // "MFT1"
  public static final int BUCKETS = 4096;
  public static final String[] LANGUAGES = {"en", "de", "fr", "es", "it"};
  public static final int FILE_BYTES = 16 + 4 * LANGUAGES.length + 4 * LANGUAGES.length * BUCKETS;

  private final float[][] logp;

  public LanguageModel(float[][] logp) {
    this.logp = logp;
  }

  /** Bucket of the trigram (a, b, c): FNV-1a over the three bytes. */
  public static int bucket(byte a, byte b, byte c) {
    int h = 0x811c9dc5;
    h = (h ^ (a & 0xff)) * 0x01000193;
    h = (h ^ (b & 0xff)) * 0x01000193;
    h = (h ^ (c & 0xff)) * 0x01000193;
    return h & (BUCKETS - 1);
  }

  /** The framed bytes: a space, the text, a space. */
  public static byte[] framed(byte[] utf8) {
    byte[] s = new byte[utf8.length + 2];
    s[0] = ' ';
    System.arraycopy(utf8, 0, s, 1, utf8.length);
    s[s.length - 1] = ' ';
    return s;
  }

  public float[] scores(byte[] utf8) {
    byte[] s = framed(utf8);
    float[] out = new float[LANGUAGES.length];
    for (int l = 0; l < out.length; l++) {
      float sum = 0f;
      for (int i = 0; i + 2 < s.length; i++) {
        sum += logp[l][bucket(s[i], s[i + 1], s[i + 2])];
      }
      out[l] = sum;
    }
    return out;
  }

  public float[] scores(String text) {
    return scores(text.getBytes(StandardCharsets.UTF_8));
  }

  public static int argmax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  public int predict(String text) {
    return argmax(scores(text));
  }

  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(FILE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(LANGUAGES.length).putInt(BUCKETS).putInt(0);
    for (String code : LANGUAGES) {
      b.put(code.getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
    }
    for (float[] row : logp) {
      for (float v : row) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  public static LanguageModel parse(byte[] file) {
    if (file.length != FILE_BYTES) {
      throw new IllegalArgumentException("trigrams file must be " + FILE_BYTES + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt() != MAGIC
        || b.getInt() != LANGUAGES.length
        || b.getInt() != BUCKETS
        || b.getInt() != 0) {
      throw new IllegalArgumentException("not an MFT1 trigrams file for this model");
    }
    b.position(16 + 4 * LANGUAGES.length);
    float[][] logp = new float[LANGUAGES.length][BUCKETS];
    for (float[] row : logp) {
      for (int i = 0; i < BUCKETS; i++) {
        row[i] = b.getFloat();
      }
    }
    return new LanguageModel(logp);
  }
}
