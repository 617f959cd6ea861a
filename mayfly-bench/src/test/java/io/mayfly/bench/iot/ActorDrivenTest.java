package io.mayfly.bench.iot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The driver's bound on messages in flight is on their sum, not on each mailbox: a sensor that
 * falls behind can fill its bounded mailbox while the sum is far below the bound. The driver then
 * sends the refused message again, in order, instead of failing the run (the IoT workload at 100
 * sensors stopped with a full mailbox of 1 024 messages).
 */
class ActorDrivenTest {
  private static final TimingTable TABLE = TimingTable.generate(11);
  private static final int SENSORS = 4;
  private static final int CAPACITY = 8;

  @Test
  void aReadingRefusedByAFullMailboxIsSentAgainInOrder() {
    var fleet = new LaggingFleet();
    try (var driver = new ActorDriven(sink -> fleet, TABLE)) {
      driver.fill(SENSORS);

      assertThat(driver.refusals()).isPositive();
      for (int s = 0; s < SENSORS; s++) {
        var expected = new ArrayList<byte[]>();
        for (int j = s; j < Window.SIZE * SENSORS; j += SENSORS) {
          expected.add(TABLE.reading(j));
        }
        assertThat(fleet.handled.get(s)).as("sensor %d", s).containsExactlyElementsOf(expected);
      }
    }
  }

  /**
   * Mailboxes of {@value #CAPACITY} messages; each look at the turn count handles every queued
   * message of sensors 1 and up but only one of sensor 0, which falls behind.
   */
  private static final class LaggingFleet implements ActorFleet {
    final List<ArrayDeque<byte[]>> mailboxes = new ArrayList<>();
    final List<List<byte[]>> handled = new ArrayList<>();
    long turns;

    LaggingFleet() {
      for (int s = 0; s < SENSORS; s++) {
        mailboxes.add(new ArrayDeque<>());
        handled.add(new ArrayList<>());
      }
    }

    @Override
    public String name() {
      return "lagging";
    }

    @Override
    public void grow(Group group, int sensors) {}

    @Override
    public boolean tell(Group group, int sensor, byte[] reading) {
      ArrayDeque<byte[]> mailbox = mailboxes.get(sensor);
      if (mailbox.size() >= CAPACITY) {
        return false;
      }
      mailbox.add(reading);
      return true;
    }

    @Override
    public CompletionStage<WindowStats> ask(Group group, int sensor, byte[] reading) {
      throw new UnsupportedOperationException("filling the windows asks nothing");
    }

    @Override
    public long turns() {
      for (int s = 0; s < SENSORS; s++) {
        ArrayDeque<byte[]> mailbox = mailboxes.get(s);
        for (int n = s == 0 ? 1 : mailbox.size(); n > 0 && !mailbox.isEmpty(); n--) {
          handled.get(s).add(mailbox.poll());
          turns++;
        }
      }
      return turns;
    }

    @Override
    public void awaitAlerts() {}

    @Override
    public boolean hasWorkerThreads() {
      return false;
    }

    @Override
    public void close() {}
  }
}
