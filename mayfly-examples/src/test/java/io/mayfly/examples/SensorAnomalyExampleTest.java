package io.mayfly.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.mayfly.mqtt.MqttBridge;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.testing.Checkout;
import io.mayfly.testing.Mosquitto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IoT sensor anomaly example (examples/sensor-anomaly): readings go through a real mosquitto
 * and the MQTT bridge into {@code sensor} actors, alerts come back out to an MQTT subscriber, and
 * {@code site} actors aggregate them. The expected alerts are computed here with a Java model of
 * the sensor's rule (same window, same arithmetic).
 */
class SensorAnomalyExampleTest {
  private static final Path WASM = Checkout.path("examples/sensor-anomaly/wasm");

  static final TypeConfig SENSOR = TypeConfig.builder().build(); // after-access 10 min
  static final TypeConfig SITE =
      TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(30))).build();

  private static final int SITES = 10;
  private static final int PER_SITE = 100;
  private static final int READINGS = 64; // per sensor
  private static final double SPIKE_PROBABILITY = 0.02;

  static void deploy(Mayfly node) {
    node.deploy("sensor", module("sensor"), SENSOR);
    node.deploy("site", module("site"), SITE);
  }

  private static byte[] module(String name) {
    try {
      return Files.readAllBytes(WASM.resolve(name + ".wasm"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "missing " + name + ".wasm: run examples/sensor-anomaly/build.sh", e);
    }
  }

  static byte[] reading(double value) {
    return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, value).array();
  }

  /** The site's 24-byte summary. */
  record Summary(int sensors, int kept, long readings, long alerts) {
    static Summary parse(byte[] b) {
      ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b).hasSize(24);
      return new Summary(r.getInt(), r.getInt(), r.getLong(), r.getLong());
    }
  }

  /** The sensor actor's rule, in Java: a window of 32, alert when |x - mean| > 3 sd, n >= 8. */
  static final class Window {
    final double[] v = new double[32];
    int count;
    int next;

    boolean wouldAlert(double x) {
      if (count < 8) {
        return false;
      }
      double sum = 0;
      for (int i = 0; i < count; i++) {
        sum += v[i];
      }
      double mean = sum / count;
      double var = 0;
      for (int i = 0; i < count; i++) {
        double d = v[i] - mean;
        var += d * d;
      }
      double sd = Math.sqrt(var / count);
      return sd > 0 && Math.abs(x - mean) > 3 * sd;
    }

    void add(double x) {
      v[next] = x;
      next = (next + 1) % 32;
      count = Math.min(32, count + 1);
    }
  }

  /**
   * Readings of a fleet of {@code <site>.<n>} sensors from a fixed seed. Noise is normal, cut off
   * at one amplitude (its standard deviation); spikes are 10 to 20 amplitudes off the level, at
   * least 33 readings apart on a sensor (so the window holds one at most) and never in the first 8.
   * The rare noise draw that the 3-sigma rule would still flag (a window that happens to be very
   * tight) is drawn again, so that exactly the spikes alert.
   */
  record Fleet(List<String> sensors, double[][] values, boolean[][] spike) {
    static Fleet generate(long seed) {
      var random = new SplittableRandom(seed);
      int n = SITES * PER_SITE;
      var sensors = new ArrayList<String>(n);
      double[][] values = new double[n][READINGS];
      boolean[][] spike = new boolean[n][READINGS];
      for (int s = 0; s < n; s++) {
        sensors.add("s" + (s / PER_SITE) + "." + (s % PER_SITE));
        double level = 15 + 10 * random.nextDouble();
        double amplitude = 0.2 + 0.8 * random.nextDouble();
        var window = new Window();
        int lastSpike = -1000;
        for (int i = 0; i < READINGS; i++) {
          double x;
          if (i >= 8 && i - lastSpike > 32 && random.nextDouble() < SPIKE_PROBABILITY) {
            x = level + (random.nextBoolean() ? 1 : -1) * amplitude * random.nextDouble(10, 20);
            assertThat(window.wouldAlert(x)).as("a spike alerts").isTrue();
            spike[s][i] = true;
            lastSpike = i;
          } else {
            do {
              x = level + amplitude * boundedGaussian(random);
            } while (window.wouldAlert(x));
          }
          values[s][i] = x;
          window.add(x);
        }
      }
      return new Fleet(sensors, values, spike);
    }

    private static double boundedGaussian(SplittableRandom random) {
      double g;
      do {
        g = random.nextGaussian();
      } while (Math.abs(g) > 1);
      return g;
    }

    int spikes() {
      int total = 0;
      for (boolean[] s : spike) {
        for (boolean b : s) {
          total += b ? 1 : 0;
        }
      }
      return total;
    }

    /** What each site should report once every reading went through. */
    Summary expected(int site) {
      int seen = 0;
      long readings = 0;
      long alerts = 0;
      for (int s = site * PER_SITE; s < (site + 1) * PER_SITE; s++) {
        int last = -1;
        int count = 0;
        for (int i = 0; i < READINGS; i++) {
          if (spike[s][i]) {
            last = i;
            count++;
          }
        }
        if (count > 0) {
          seen++;
          readings += last + 1;
          alerts += count;
        }
      }
      return new Summary(seen, (int) Math.min(8, alerts), readings, alerts);
    }
  }

  @Test
  void spikesPublishedOverMqttAlertExactlyOnceAndReachMqttSubscribers(@TempDir Path dir)
      throws Exception {
    Fleet fleet = Fleet.generate(20261125L);
    int spikes = fleet.spikes();
    assertThat(spikes).as("injected spikes").isBetween(300, 3000);

    Mosquitto broker = Mosquitto.start(dir);
    Map<String, List<Double>> nodeAlerts = new ConcurrentHashMap<>();
    List<String> mqttAlerts = new CopyOnWriteArrayList<>();
    Map<String, List<Summary>> summaries = new ConcurrentHashMap<>();
    try (Mayfly node = Mayfly.builder().workers(4).build();
        MqttBridge bridge =
            MqttBridge.builder()
                .node(node)
                .broker("127.0.0.1", broker.port())
                .clientId("sensor-anomaly-gateway")
                .route("sensors/+/reading", "sensor/{1}")
                .publish("alerts/#", "mayfly/alerts/{1}")
                .build()) {
      deploy(node);
      var _ =
          node.subscribe(
              "alerts/#",
              (topic, payload, publisher) ->
                  nodeAlerts
                      .computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>())
                      .add(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getDouble(0)));
      var _ =
          node.subscribe(
              "sites/+/summary",
              (topic, payload, publisher) ->
                  summaries
                      .computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>())
                      .add(Summary.parse(payload)));
      bridge.start().toCompletableFuture().get(30, TimeUnit.SECONDS);

      Mqtt5AsyncClient subscriber = client("alert-subscriber", broker.port());
      subscriber
          .subscribeWith()
          .topicFilter("mayfly/alerts/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> mqttAlerts.add(p.getTopic().toString()))
          .send()
          .get(10, TimeUnit.SECONDS);

      long started = System.nanoTime();
      // Every sensor reports in turn, as a fleet would, QoS 1.
      Mqtt5AsyncClient publisher = client("sensor-fleet", broker.port());
      var acks = new ArrayList<CompletableFuture<?>>();
      for (int i = 0; i < READINGS; i++) {
        for (int s = 0; s < fleet.sensors().size(); s++) {
          acks.add(
              publisher
                  .publishWith()
                  .topic("sensors/" + fleet.sensors().get(s) + "/reading")
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(reading(fleet.values()[s][i]))
                  .send());
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

      // Every reading was handled (each sensor counted all of them) ...
      await("every sensor handled its readings")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.sensors().stream().allMatch(s -> handled(node, s) == READINGS));

      // ... and exactly the spikes alerted, each once, with its value.
      Map<String, List<Double>> expected = new HashMap<>();
      for (int s = 0; s < fleet.sensors().size(); s++) {
        String id = fleet.sensors().get(s);
        for (int i = 0; i < READINGS; i++) {
          if (fleet.spike()[s][i]) {
            expected
                .computeIfAbsent(
                    "alerts/" + id.substring(0, id.indexOf('.')) + "/" + id, t -> new ArrayList<>())
                .add(fleet.values()[s][i]);
          }
        }
      }
      assertThat(nodeAlerts).isEqualTo(expected);

      // The alerts left the node through the bridge's publish route.
      await("alerts at the MQTT subscriber")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> mqttAlerts.size() >= spikes);
      Map<String, Long> perTopic = new HashMap<>();
      mqttAlerts.forEach(t -> perTopic.merge(t, 1L, Long::sum));
      Map<String, Long> expectedPerTopic = new HashMap<>();
      expected.forEach((t, v) -> expectedPerTopic.put("mayfly/" + t, (long) v.size()));
      assertThat(perTopic).isEqualTo(expectedPerTopic);

      // The site aggregators counted every alert.
      for (int site = 0; site < SITES; site++) {
        Address address = Address.of("site", "s" + site);
        Summary want = fleet.expected(site);
        await("summary of " + address)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(
                () ->
                    assertThat(
                            Summary.parse(
                                node.ask(address, new byte[0])
                                    .toCompletableFuture()
                                    .get(10, TimeUnit.SECONDS)))
                        .isEqualTo(want));
        // A summary publication at every 10th alert, unless the run was so slow that a site's
        // 60 s timer fired in between (which restarts the count of ten).
        List<Long> published =
            summaries.getOrDefault("sites/s" + site + "/summary", List.of()).stream()
                .map(Summary::alerts)
                .toList();
        if (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(55)) {
          assertThat(published)
              .as("published summaries of s%d", site)
              .isEqualTo(
                  LongStream.rangeClosed(1, want.alerts() / 10).map(k -> 10 * k).boxed().toList());
        } else {
          assertThat(published).as("published summaries of s%d", site).isSorted();
        }
      }
      System.out.printf(
          "sensor-anomaly over MQTT: %,d readings from %,d sensors, %,d spikes, %,d alerts at the"
              + " MQTT subscriber, %.1f s%n",
          READINGS * fleet.sensors().size(),
          fleet.sensors().size(),
          spikes,
          mqttAlerts.size(),
          (System.nanoTime() - started) / 1e9);
      publisher.disconnect().get(10, TimeUnit.SECONDS);
      subscriber.disconnect().get(10, TimeUnit.SECONDS);
    } finally {
      broker.stop();
    }
  }

  private static Mqtt5AsyncClient client(String id, int port) throws Exception {
    Mqtt5AsyncClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    c.connect().get(10, TimeUnit.SECONDS);
    return c;
  }

  /** Readings the sensor actor has handled (its state's total), 0 if it has no state. */
  private static long handled(Mayfly node, String sensor) {
    return node.state(Address.of("sensor", sensor))
        .map(s -> s.entries().get("w"))
        .map(e -> ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(264))
        .orElse(0L);
  }

  // ---- the site's timer and the TTLs, on a synchronous node with a manual clock ----

  @Test
  void siteSummarizesOnItsTimerAndEveryTenAlertsAndExpiresAfterWrite() {
    ManualClock clock = ManualClock.create();
    List<Summary> published = new CopyOnWriteArrayList<>();
    AtomicInteger alerts = new AtomicInteger();
    try (Mayfly node = Mayfly.builder().synchronous(true).clock(clock).build()) {
      deploy(node);
      var _ = node.subscribe("sites/s9/summary", (t, p, a) -> published.add(Summary.parse(p)));
      var _ = node.subscribe("alerts/s9/#", (t, p, a) -> alerts.incrementAndGet());
      Address site = Address.of("site", "s9");

      // One alert: no summary yet, a timer is armed.
      spike(node, "s9.0");
      assertThat(alerts).hasValue(1);
      assertThat(published).isEmpty();
      assertThat(summary(node, site)).isEqualTo(new Summary(1, 1, 9, 1));
      clock.advance(Duration.ofMillis(59_999));
      assertThat(published).isEmpty();
      clock.advance(Duration.ofMillis(1));
      assertThat(published).containsExactly(new Summary(1, 1, 9, 1));

      // Ten more: the tenth since the last summary publishes at once and cancels the timer.
      for (int s = 1; s <= 10; s++) {
        spike(node, "s9." + s);
      }
      assertThat(published).hasSize(2);
      assertThat(published.get(1)).isEqualTo(new Summary(11, 8, 99, 11));
      clock.advance(Duration.ofMinutes(1));
      assertThat(published).hasSize(2);
      var state = node.state(site).orElseThrow().entries();
      assertThat(state).containsKeys("t", "l", "n/s9.0", "n/s9.10");

      // Sensors expire 10 minutes after their last access, the site 30 minutes after its last
      // write; asks do not write, so they do not keep the site alive.
      clock.advance(Duration.ofMinutes(10));
      assertThat(node.state(Address.of("sensor", "s9.1"))).isEmpty();
      assertThat(summary(node, site).alerts()).isEqualTo(11);
      clock.advance(Duration.ofMinutes(19).minusMillis(1));
      assertThat(node.state(site)).isPresent();
      assertThat(published).hasSize(2);
      clock.advance(Duration.ofMillis(2));
      assertThat(node.state(site)).isEmpty();
      // On a manual clock the store drops the actor exactly at its deadline, and the expiry turn
      // publishes a last summary then.
      assertThat(node.stats().storedActors()).isZero();
      assertThat(published).hasSize(3);
      assertThat(published.get(2)).isEqualTo(new Summary(11, 8, 99, 11));
    }
  }

  /** Eight steady readings then a spike: exactly one alert from {@code sensor/<id>}. */
  private static void spike(Mayfly node, String id) {
    Address sensor = Address.of("sensor", id);
    for (int i = 0; i < 8; i++) {
      node.tell(sensor, reading(20 + (i % 2 == 0 ? 0.5 : -0.5)));
    }
    node.tell(sensor, reading(40));
  }

  private static Summary summary(Mayfly node, Address site) {
    return Summary.parse(node.ask(site, new byte[0]).toCompletableFuture().join());
  }
}
