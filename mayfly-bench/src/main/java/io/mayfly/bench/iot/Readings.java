package io.mayfly.bench.iot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-byte readings every implementation is given, as the sensor actor reads them: bytes 0..7
 * the value as a little-endian IEEE 754 double, the rest zero (the actor ignores it).
 */
final class Readings {
  /** Bytes of one reading. */
  static final int BYTES = 64;

  private static final VarHandle DOUBLE_LE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private Readings() {}

  /** A reading of {@code value}. */
  static byte[] of(double value) {
    byte[] reading = new byte[BYTES];
    DOUBLE_LE.set(reading, 0, value);
    return reading;
  }

  /** The value of a reading. */
  static double value(byte[] reading) {
    return doubleAt(reading, 0);
  }

  /** A little-endian double at {@code offset} (alerts and replies are pairs of them). */
  static double doubleAt(byte[] bytes, int offset) {
    return (double) DOUBLE_LE.get(bytes, offset);
  }
}
