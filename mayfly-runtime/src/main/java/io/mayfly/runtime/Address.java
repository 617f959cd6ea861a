package io.mayfly.runtime;

import java.nio.charset.StandardCharsets;

/**
 * An actor's address, {@code type/id}: the type names a deployed module, the id one actor of it (a
 * sensor id, a session id). Actors are virtual: every valid address denotes an actor, created by
 * the first message it receives.
 *
 * @param type 1–64 characters from {@code [a-z0-9_.-]}, starting with a letter or digit
 * @param id 1–256 printable ASCII characters other than {@code /} and space
 */
public record Address(String type, String id) {
  /** Longest actor type name. */
  public static final int MAX_TYPE_LENGTH = 64;

  /** Longest actor id. */
  public static final int MAX_ID_LENGTH = 256;

  public Address {
    checkType(type);
    checkId(id);
  }

  /** An address from its parts. */
  public static Address of(String type, String id) {
    return new Address(type, id);
  }

  /**
   * Parses {@code type/id}.
   *
   * @throws InvalidAddressException naming what is wrong
   */
  public static Address parse(String address) {
    if (address == null) {
      throw new InvalidAddressException("address is missing");
    }
    int slash = address.indexOf('/');
    if (slash < 0) {
      throw new InvalidAddressException("address '" + printable(address) + "' is not type/id");
    }
    return new Address(address.substring(0, slash), address.substring(slash + 1));
  }

  /** Parses a UTF-8 encoded address, as guests pass it. */
  public static Address parse(byte[] utf8) {
    return parse(new String(utf8, StandardCharsets.UTF_8));
  }

  /** Checks an actor type name. */
  public static String checkType(String type) {
    if (type == null || type.isEmpty()) {
      throw new InvalidAddressException("actor type is empty");
    }
    if (type.length() > MAX_TYPE_LENGTH) {
      throw new InvalidAddressException(
          "actor type is " + type.length() + " characters, longer than " + MAX_TYPE_LENGTH);
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!(alnum || (i > 0 && (c == '_' || c == '.' || c == '-')))) {
        throw new InvalidAddressException(
            "actor type '"
                + printable(type)
                + "' has an invalid character at position "
                + i
                + ": use a-z, 0-9, '_', '.', '-' and start with a letter or digit");
      }
    }
    return type;
  }

  private static void checkId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidAddressException("actor id is empty");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidAddressException(
          "actor id is " + id.length() + " characters, longer than " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '/') {
        throw new InvalidAddressException(
            "actor id '"
                + printable(id)
                + "' has an invalid character at position "
                + i
                + ": use printable ASCII without '/' or spaces");
      }
    }
  }

  static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    var out = new StringBuilder();
    cut.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /** The UTF-8 bytes of {@code type/id}. */
  public byte[] toBytes() {
    return toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return type + "/" + id;
  }
}
