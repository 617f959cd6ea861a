package io.mayfly.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchdogTest {

  @Test
  void aRunningWatchdogReportsNoProblem() {
    try (Watchdog watchdog = Watchdog.start(Duration.ofMillis(1), Thread::new)) {
      assertThat(watchdog.problems()).isEmpty();
    }
  }

  @Test
  void aScannerKilledByAnErrorIsReported() {
    var scanner = new AtomicReference<Thread>();
    try (Watchdog watchdog =
        Watchdog.start(
            Duration.ofMillis(1),
            r -> {
              Thread t = new Thread(r, "test-watchdog");
              scanner.set(t);
              return t;
            })) {
      watchdog.scanHook =
          () -> {
            throw new OutOfMemoryError("test: the scanner runs out of memory");
          };

      await().atMost(Duration.ofSeconds(10)).until(() -> !scanner.get().isAlive());
      assertThat(watchdog.problems()).containsExactly("watchdog thread died: OutOfMemoryError");
    }
  }
}
