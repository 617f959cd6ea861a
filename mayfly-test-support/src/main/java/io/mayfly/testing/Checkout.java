package io.mayfly.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the Mayfly source checkout the tests run in: the committed guest builds of {@code
 * testdata/guests/wasm}, the conformance actors, the examples, the launcher.
 *
 * <p>The root is found by walking up from the working directory (Maven runs each module's tests in
 * the module's directory) to the first directory holding both {@code pom.xml} and {@code
 * testdata/guests}, so a test finds the same files whichever module it belongs to and wherever it
 * is started from inside the checkout.
 */
public final class Checkout {
  private static final Path GUESTS = Path.of("testdata", "guests", "wasm");

  private Checkout() {}

  /**
   * The root directory of the checkout, absolute.
   *
   * @throws IllegalStateException when neither the working directory nor any of its parents is the
   *     root of a Mayfly checkout
   */
  public static Path root() {
    return rootAbove(Path.of(""));
  }

  /** The closest of {@code start} and its parents that is the root of a Mayfly checkout. */
  static Path rootAbove(Path directory) {
    Path start = directory.toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("testdata").resolve("guests"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no Mayfly checkout (pom.xml beside testdata/guests) in "
            + start
            + " or its parents: run the tests from inside the checkout");
  }

  /**
   * A path in the checkout, e.g. {@code path("examples/workflow/wasm")}; it need not exist.
   *
   * @param relative the path from the root, with {@code /} between its names
   */
  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /**
   * The committed build of one C test actor, {@code testdata/guests/wasm/<name>.wasm} (sources and
   * what each does in {@code testdata/guests}).
   *
   * @param name the actor's name without extension, e.g. {@code "probe"}
   */
  public static Path guestPath(String name) {
    return root().resolve(GUESTS).resolve(name + ".wasm");
  }

  /**
   * The bytes of {@link #guestPath(String) a committed C test actor}.
   *
   * @throws UncheckedIOException naming the file and the build script when it cannot be read
   */
  public static byte[] guest(String name) {
    Path path = guestPath(name);
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + path + ": build the guests with testdata/guests/build.sh", e);
    }
  }

  /**
   * The bytes of a file of the checkout.
   *
   * @param relative the path from the root, e.g. {@code "examples/digits/wasm/digits.wasm"}
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static byte[] read(String relative) {
    Path path = path(relative);
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
