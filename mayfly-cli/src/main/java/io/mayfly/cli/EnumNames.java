package io.mayfly.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The values of an enum option as users type them, in lower case ({@code -o json}): picocli's
 * converter of the option and its shell completion candidates. Each option names a subclass for its
 * enum.
 */
abstract class EnumNames<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
  private final Class<E> type;

  EnumNames(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.strip())) {
        return e;
      }
    }
    throw new TypeConversionException(
        "expected one of " + String.join(", ", this) + " but was '" + value + "'");
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT))
        .iterator();
  }
}
