package io.mayfly.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests find the checkout's files from any module, and a missing file names itself. */
class CheckoutTest {
  private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

  @Test
  void theRootIsTheCheckoutAboveTheModule() {
    Path root = Checkout.root();

    assertThat(root).isAbsolute();
    assertThat(root.resolve("mvnw")).isRegularFile();
    assertThat(root.resolve("mayfly-test-support/pom.xml")).isRegularFile();
    assertThat(Checkout.rootAbove(root.resolve("mayfly-test-support/src/test"))).isEqualTo(root);
  }

  @Test
  void aDirectoryOutsideACheckoutHasNoRoot(@TempDir Path outside) {
    assertThatThrownBy(() -> Checkout.rootAbove(outside))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Mayfly checkout")
        .hasMessageContaining(outside.toString());
  }

  @Test
  void aCommittedGuestIsAWasmModule() {
    assertThat(Checkout.guestPath("probe"))
        .isEqualTo(Checkout.root().resolve("testdata/guests/wasm/probe.wasm"));
    assertThat(Checkout.guest("probe")).startsWith(WASM_MAGIC);
    assertThat(Checkout.read("testdata/guests/wasm/probe.wasm")).isEqualTo(Checkout.guest("probe"));
  }

  @Test
  void aMissingGuestNamesTheFileAndTheBuildScript() {
    assertThatThrownBy(() -> Checkout.guest("no-such-guest"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("testdata/guests/wasm/no-such-guest.wasm")
        .hasMessageContaining("testdata/guests/build.sh");
  }

  @Test
  void aMissingFileNamesItself() {
    assertThat(Files.exists(Checkout.path("no/such/file"))).isFalse();
    assertThatThrownBy(() -> Checkout.read("no/such/file"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no/such/file");
  }
}
