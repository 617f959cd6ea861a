package io.mayfly.examples.digits;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The digits classifier's inference, exactly as the actor ({@code examples/digits/c/digits.c})
 * computes it: a 64 → 32 (ReLU) → 10 multilayer perceptron in 32-bit floats, every sum taken in the
 * same order, and a softmax with the same exponential approximation ({@link #exp}). Java and
 * WebAssembly float arithmetic are both plain IEEE 754 binary32 (no fused multiply-add, no
 * reassociation), so the two produce bit-identical scores.
 *
 * <p>The weights file ({@code examples/digits/model/weights.bin}), little-endian:
 *
 * <pre>
 * offset  size        field
 * 0       4           magic "MFD1"
 * 4       4           u32 inputs  (64)
 * 8       4           u32 hidden  (32)
 * 12      4           u32 outputs (10)
 * 16      4*64*32     f32 w1[hidden][inputs]   (row j: the weights into hidden unit j)
 * ...     4*32        f32 b1[hidden]
 * ...     4*32*10     f32 w2[outputs][hidden]
 * ...     4*10        f32 b2[outputs]
 * </pre>
 *
 * 9,656 bytes in all. An input pixel p (0..16) enters the network as {@code p * 0.0625f}.
 */
public final class DigitsModel {
  public static final int INPUTS = 64;
  public static final int HIDDEN = 32;
  public static final int OUTPUTS = 10;
  public static final int HEADER_BYTES = 16;
  public static final int FILE_BYTES =
      HEADER_BYTES + 4 * (HIDDEN * INPUTS + HIDDEN + OUTPUTS * HIDDEN + OUTPUTS);
  static final int MAGIC = 'M' | 'F' << 8 | 'D' << 16 | '1' << 24;

  private final float[] w1;
  private final float[] b1;
  private final float[] w2;
  private final float[] b2;

  DigitsModel(float[] w1, float[] b1, float[] w2, float[] b2) {
    this.w1 = w1.clone();
    this.b1 = b1.clone();
    this.w2 = w2.clone();
    this.b2 = b2.clone();
  }

  /** Reads a weights file; throws {@link IllegalArgumentException} if it is not one. */
  public static DigitsModel parse(byte[] file) {
    if (file.length != FILE_BYTES) {
      throw new IllegalArgumentException("weights: " + file.length + " bytes, not " + FILE_BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt() != MAGIC
        || b.getInt() != INPUTS
        || b.getInt() != HIDDEN
        || b.getInt() != OUTPUTS) {
      throw new IllegalArgumentException("weights: bad header");
    }
    float[] w1 = floats(b, HIDDEN * INPUTS);
    float[] b1 = floats(b, HIDDEN);
    float[] w2 = floats(b, OUTPUTS * HIDDEN);
    float[] b2 = floats(b, OUTPUTS);
    return new DigitsModel(w1, b1, w2, b2);
  }

  private static float[] floats(ByteBuffer b, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  /** The weights file of this model. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(FILE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(INPUTS).putInt(HIDDEN).putInt(OUTPUTS);
    for (float[] a : new float[][] {w1, b1, w2, b2}) {
      for (float v : a) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  /** The ten class scores (softmax probabilities) of 64 pixels, each 0..16. */
  public float[] scores(byte[] pixels) {
    if (pixels.length != INPUTS) {
      throw new IllegalArgumentException("need " + INPUTS + " pixels, got " + pixels.length);
    }
    float[] x = new float[INPUTS];
    for (int i = 0; i < INPUTS; i++) {
      x[i] = (pixels[i] & 0xff) * 0.0625f;
    }
    float[] h = new float[HIDDEN];
    for (int j = 0; j < HIDDEN; j++) {
      float s = b1[j];
      for (int i = 0; i < INPUTS; i++) {
        s += w1[j * INPUTS + i] * x[i];
      }
      h[j] = s > 0f ? s : 0f;
    }
    float[] o = new float[OUTPUTS];
    float max = 0f;
    for (int k = 0; k < OUTPUTS; k++) {
      float s = b2[k];
      for (int j = 0; j < HIDDEN; j++) {
        s += w2[k * HIDDEN + j] * h[j];
      }
      o[k] = s;
      if (k == 0 || s > max) {
        max = s;
      }
    }
    float sum = 0f;
    for (int k = 0; k < OUTPUTS; k++) {
      o[k] = exp(o[k] - max);
      sum += o[k];
    }
    for (int k = 0; k < OUTPUTS; k++) {
      o[k] = o[k] / sum;
    }
    return o;
  }

  /** The predicted digit: the index of the largest score (the first one on a tie). */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int k = 1; k < scores.length; k++) {
      if (scores[k] > scores[best]) {
        best = k;
      }
    }
    return best;
  }

  /** The predicted digit of 64 pixels. */
  public int predict(byte[] pixels) {
    return argmax(scores(pixels));
  }

  /**
   * e^x for x ≤ 0 in binary32, the same steps as {@code mf_expf} in digits.c: x = k·ln2 + r with k
   * = trunc(x·log2 e), a degree-5 Taylor polynomial for e^r (r in (−ln2, 0]), and 2^k built from
   * the exponent bits. Relative error below 4e-4 (plenty for scores; the argmax does not use it); 0
   * below −87.
   */
  static float exp(float x) {
    if (x < -87f) {
      return 0f;
    }
    int k = (int) (x * 1.442695f);
    float r = x - (float) k * 0.6931472f;
    float p =
        1f + r * (1f + r * (0.5f + r * (0.16666667f + r * (0.041666668f + r * 0.008333334f))));
    return p * Float.intBitsToFloat((k + 127) << 23);
  }
}
