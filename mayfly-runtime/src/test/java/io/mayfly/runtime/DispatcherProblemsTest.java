package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherProblemsTest {

  @Test
  void anErrorEscapingACellMarksTheNodeUnhealthyAndTheWorkerCarriesOn() throws Exception {
    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      assertThat(node.problems()).isEmpty();
      Dispatcher dispatcher = ((Node) node).dispatcher();

      dispatcher.schedule(
          () -> {
            throw new OutOfMemoryError("test: a cell runs out of memory");
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> !node.problems().isEmpty());
      assertThat(node.problems())
          .containsExactly("worker mayfly-worker-1: a cell failed with OutOfMemoryError");

      var ran = new CountDownLatch(1);
      dispatcher.schedule(ran::countDown);
      assertThat(ran.await(10, TimeUnit.SECONDS)).as("the worker still runs cells").isTrue();
    }
  }

  @Test
  void aRuntimeExceptionInACellIsLoggedButIsNoNodeProblem() throws Exception {
    try (Mayfly node = Mayfly.builder().workers(1).build()) {
      Dispatcher dispatcher = ((Node) node).dispatcher();
      dispatcher.schedule(
          () -> {
            throw new IllegalStateException("test: a bug in one cell");
          });
      var ran = new CountDownLatch(1);
      dispatcher.schedule(ran::countDown);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(node.problems()).isEmpty();
    }
  }
}
