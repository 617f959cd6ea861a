package io.mayfly.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Renders payloads and values for people reading a failed test: text when it is text. */
final class Bytes {
  private static final int SHOWN = 64;

  private Bytes() {}

  /** {@code "text"} for printable UTF-8, otherwise {@code 0x…} hex; long values are cut. */
  static String show(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    String text = printableText(bytes);
    if (text != null) {
      return text.length() > SHOWN
          ? '"' + text.substring(0, SHOWN) + "\"... (" + bytes.length + " bytes)"
          : '"' + text + '"';
    }
    int n = Math.min(bytes.length, SHOWN / 2);
    String hex = "0x" + HexFormat.of().formatHex(bytes, 0, n);
    return bytes.length > n ? hex + "... (" + bytes.length + " bytes)" : hex;
  }

  private static String printableText(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null; // not text: shown as hex
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return null;
      }
    }
    return text;
  }
}
