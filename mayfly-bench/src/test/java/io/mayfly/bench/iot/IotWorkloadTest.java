package io.mayfly.bench.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.bench.Guests;
import io.mayfly.testing.Wat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five implementations of the IoT workload raise the same alerts and replies, bit for bit, and
 * they are the ones the C actor's rule defines; one that differs fails the workload. Starts a
 * Mayfly node, two Pekko actor systems and a node process, and stops them.
 */
class IotWorkloadTest {
  private static final TimingTable TABLE = TimingTable.generate(7);
  private static final int HANDMADE = 4;

  private static BareLoop bare;
  private static ActorDriven mayfly;
  private static ActorDriven pekkoSized;
  private static ActorDriven pekkoDefault;
  private static V8Host v8;

  @BeforeAll
  static void start() throws IOException {
    bare = new BareLoop(TABLE);
    mayfly = ActorDriven.mayfly(2, TABLE);
    pekkoSized = ActorDriven.pekkoSized(2, TABLE);
    pekkoDefault = ActorDriven.pekkoDefault(TABLE);
    v8 = V8Host.start(Guests.sensor(), TABLE);
  }

  @AfterAll
  static void stop() {
    var started = new ArrayList<Implementation>();
    for (Implementation i : new Implementation[] {v8, pekkoDefault, pekkoSized, mayfly, bare}) {
      if (i != null) {
        started.add(i);
      }
    }
    started.forEach(Implementation::close);
  }

  @Test
  void everyImplementationRaisesTheAlertsTheSensorRuleDefines() {
    VerificationStream stream = handmadeThenGenerated();

    Outcome agreed =
        IotWorkload.agreedOutcome(bare, List.of(mayfly, pekkoSized, pekkoDefault, v8), stream);

    assertThat(agreed.alerts())
        .contains(new Outcome.Alert(0, 24, 20.0), new Outcome.Alert(3, 16, 183.0 / 9))
        .noneMatch(a -> a.sensor() == 1 || a.sensor() == 2)
        .hasSizeGreaterThan(20);
    assertThat(agreed.replies())
        .contains(new Outcome.Reply(0, 11, 224.0 / 11, 11), new Outcome.Reply(1, 22, 20, 10));
    assertThat(agreed.firstDifference(bySensorRule(stream))).isEmpty();
  }

  @Test
  void anImplementationThatDisagreesFailsTheWorkloadNamingIt() {
    VerificationStream stream = VerificationStream.generate(3, 30, 40);
    Implementation offByOneBit =
        changed(
            "off by one bit",
            o -> {
              var alerts = new ArrayList<>(o.alerts());
              Outcome.Alert a = alerts.get(5);
              double mean = Math.nextUp(a.mean());
              alerts.set(5, new Outcome.Alert(a.sensor(), a.x(), mean));
              return new Outcome(alerts, o.replies());
            });
    Implementation missingOne =
        changed(
            "missing one", o -> new Outcome(o.alerts().subList(1, o.alerts().size()), o.replies()));

    assertThatThrownBy(() -> IotWorkload.agreedOutcome(bare, List.of(bare, offByOneBit), stream))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("off by one bit disagrees with the bare loop")
        .hasMessageContaining("alert 5 is");
    assertThatThrownBy(() -> IotWorkload.agreedOutcome(bare, List.of(missingOne), stream))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("missing one disagrees with the bare loop");
  }

  @Test
  void theNodeHostRefusesAModuleImportingAFunctionItDoesNotImplement() {
    byte[] module =
        Wat.compile(
            """
            (module
              (import "mayfly" "timer_set" (func (param i64 i32 i32) (result i64)))
              (memory (export "memory") 1)
              (func (export "mayfly_abi_version") (result i32) (i32.const 1))
              (func (export "mayfly_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "mayfly_handle") (param i32 i32) (result i32) (i32.const 0)))
            """);

    assertThatThrownBy(() -> V8Host.start(module, TABLE).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("imports mayfly.timer_set")
        .hasMessageContaining("does not implement");
  }

  @Test
  void aMissingNodeIsReportedWithItsDebianPackage() {
    assertThatThrownBy(() -> V8Host.start("no-such-node-for-the-iot-test", Guests.sensor(), TABLE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'no-such-node-for-the-iot-test' is not installed")
        .hasMessageContaining("Debian package nodejs");
  }

  @Test
  void everyImplementationRunsSaturatedAndPacedStreams() {
    for (Implementation i : List.of(mayfly, pekkoSized, pekkoDefault, v8, bare)) {
      // A window long enough for a turn on a loaded machine (a 30 ms one once saw none).
      Saturation s = i.saturate(200, 10_000_000, 200_000_000);
      Histogram paced = i.paced(200, 100_000, 50_000_000);

      assertThat(s.turns()).as(i.name()).isPositive();
      assertThat(s.latencies().getTotalCount()).as(i.name()).isPositive();
      assertThat(paced.getTotalCount()).as(i.name()).isPositive();
    }
  }

  /**
   * Four sensors with readings whose alerts are known, then a generated stream for 50 more.
   *
   * <ul>
   *   <li>0: 19, 21 five times (mean 20, deviation 1), then 24: an alert (24, mean 20); an ask.
   *   <li>1: 20 ten times, an ask, then 30: no alert, the deviation is 0.
   *   <li>2: seven readings, then 40: no alert, the window holds fewer than 8.
   *   <li>3: 19, 21 four times, 23 (exactly 3 deviations off: no alert), then 16: an alert.
   * </ul>
   */
  private static VerificationStream handmadeThenGenerated() {
    var messages = new ArrayList<VerificationStream.Message>();
    for (int i = 0; i < 10; i++) {
      tell(messages, 0, i % 2 == 0 ? 19 : 21);
    }
    tell(messages, 0, 24);
    ask(messages, 0); // message 11
    for (int i = 0; i < 10; i++) {
      tell(messages, 1, 20);
    }
    ask(messages, 1); // message 22
    tell(messages, 1, 30);
    for (int i = 0; i < 7; i++) {
      tell(messages, 2, i % 2 == 0 ? 19 : 21);
    }
    tell(messages, 2, 40);
    for (int i = 0; i < 8; i++) {
      tell(messages, 3, i % 2 == 0 ? 19 : 21);
    }
    tell(messages, 3, 23);
    tell(messages, 3, 16);
    for (VerificationStream.Message m : VerificationStream.generate(11, 50, 40).messages()) {
      messages.add(new VerificationStream.Message(m.sensor() + HANDMADE, m.ask(), m.reading()));
    }
    return new VerificationStream(HANDMADE + 50, messages);
  }

  private static void tell(List<VerificationStream.Message> messages, int sensor, double x) {
    messages.add(new VerificationStream.Message(sensor, false, Readings.of(x)));
  }

  private static void ask(List<VerificationStream.Message> messages, int sensor) {
    messages.add(new VerificationStream.Message(sensor, true, Readings.of(0)));
  }

  /**
   * The outcome sensor.c defines, written here apart from {@link Window}: per sensor a ring of 32
   * slots; the mean and population deviation over the filled slots in slot order; an alert for a
   * reading more than 3 deviations off the mean when at least 8 are held and the deviation is
   * positive.
   */
  private static Outcome bySensorRule(VerificationStream stream) {
    double[][] ring = new double[stream.sensors()][32];
    int[] held = new int[stream.sensors()];
    int[] slot = new int[stream.sensors()];
    var alerts = new ArrayList<Outcome.Alert>();
    var replies = new ArrayList<Outcome.Reply>();
    List<VerificationStream.Message> messages = stream.messages();
    for (int k = 0; k < messages.size(); k++) {
      VerificationStream.Message m = messages.get(k);
      int s = m.sensor();
      int n = held[s];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += ring[s][i];
      }
      double mean = n == 0 ? 0 : sum / n;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        squares += (ring[s][i] - mean) * (ring[s][i] - mean);
      }
      double deviation = n == 0 ? 0 : Math.sqrt(squares / n);
      if (m.ask()) {
        replies.add(new Outcome.Reply(s, k, mean, n));
        continue;
      }
      double x = Readings.value(m.reading());
      if (n >= 8 && deviation > 0 && Math.abs(x - mean) > 3 * deviation) {
        alerts.add(new Outcome.Alert(s, x, mean));
      }
      ring[s][slot[s]] = x;
      slot[s] = (slot[s] + 1) % 32;
      held[s] = Math.min(32, n + 1);
    }
    return Outcome.of(alerts, replies);
  }

  /** The bare loop with its verification outcome changed. */
  private static Implementation changed(String name, UnaryOperator<Outcome> change) {
    return new Implementation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcome verify(VerificationStream stream) {
        return change.apply(bare.verify(stream));
      }

      @Override
      public void fill(int sensors) {}

      @Override
      public Saturation saturate(int sensors, long warmUpNanos, long windowNanos) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Histogram paced(int sensors, double perSecond, long nanos) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }
}
