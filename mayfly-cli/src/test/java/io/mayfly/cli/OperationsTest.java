package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mayfly.testing.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly run} as operators see it: readiness that follows the MQTT bridge, a token-free
 * metrics listener with the node's, the bridge's, the JVM's and the process's metrics, and a
 * Grafana dashboard that asks only for metrics the node exports.
 */
class OperationsTest {
  static final Path DASHBOARD = Path.of("..", "docs", "grafana", "mayfly-dashboard.json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern METRICS_URL = Pattern.compile("metrics: curl (http://\\S+)");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");
  private static final Set<String> PROMQL_WORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring");

  private final InProcessRun node = new InProcessRun();
  private final HttpClient http = HttpClient.newHttpClient();
  private Mosquitto broker;

  @AfterEach
  void stop() throws InterruptedException {
    node.stop();
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void readinessMetricsAndTheDashboardOfARunningNode(@TempDir Path dir) throws Exception {
    broker = Mosquitto.start(dir);
    CompletableFuture<Integer> running =
        node.start(
            Map.of(),
            "run",
            "--http",
            "127.0.0.1:0",
            "--admin-token",
            "adm",
            "--client-token",
            "cli",
            "--metrics-port",
            "0",
            "--mqtt",
            "127.0.0.1:" + broker.port(),
            "--mqtt-route",
            "sensors/+/cmd=probe/{1}",
            "--mqtt-publish",
            "out/#=mayfly/out/{1}");
    String url = node.awaitUrl(running);
    Matcher m = METRICS_URL.matcher(node.out());
    assertThat(m.find()).as(node.out()).isTrue();
    String metricsUrl = m.group(1);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(get(url + "/readyz").statusCode()).isEqualTo(200));
    JsonNode ready = MAPPER.readTree(get(url + "/readyz").body());
    assertThat(ready.path("checks").path("mqtt").asBoolean()).isTrue();
    assertThat(ready.path("checks").path("node").asBoolean()).isTrue();

    produceActivity(url);
    // The collector's pause timers appear with the first collection.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return get(metricsUrl).body().contains("jvm_gc_pause_seconds_count");
            });
    HttpResponse<String> scrape = get(metricsUrl);
    assertThat(scrape.statusCode()).isEqualTo(200);
    Set<String> exported = exportedNames(scrape.body());

    assertThat(exported)
        .contains(
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_count",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "system_cpu_usage",
            "process_uptime_seconds",
            "process_files_open_files",
            "mayfly_build_info",
            "mayfly_mqtt_connected",
            "mayfly_mqtt_messages_received_total",
            "mayfly_turns_total");
    assertThat(scrape.body())
        .containsPattern(
            "mayfly_build_info\\{[^}]*version=\""
                + Pattern.quote(Main.projectVersion())
                + "\"[^}]*} 1");
    assertThat(scrape.body()).containsPattern("mayfly_mqtt_connected(\\{[^}]*})? 1");

    Set<String> asked = dashboardMetricNames();
    assertThat(asked).as("metrics the dashboard asks for").hasSizeGreaterThan(25);
    assertThat(exported).as("exported metrics").containsAll(asked);

    broker.stop();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(get(url + "/readyz").statusCode()).isEqualTo(503));
    JsonNode notReady = MAPPER.readTree(get(url + "/readyz").body());
    assertThat(notReady.path("checks").path("mqtt").asBoolean()).isFalse();
    assertThat(get(url + "/livez").statusCode()).isEqualTo(200);

    node.stop();
    assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
  }

  /** Turns that succeed and fail, through HTTP and MQTT, so that every labelled metric shows. */
  private void produceActivity(String url) {
    var deploy =
        ClientVerbsTest.mayfly(
            "deploy", "probe", ClientVerbsTest.PROBE.toString(), "--url", url, "--token", "adm");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    var ask = ClientVerbsTest.mayfly("ask", "probe/a", "put:k=v", "--url", url, "--token", "cli");
    assertThat(ask.exitCode()).as(ask.err()).isZero();
    var trap = ClientVerbsTest.mayfly("ask", "probe/a", "trap", "--url", url, "--token", "cli");
    assertThat(trap.exitCode()).isEqualTo(ExitCodes.NODE_ERROR);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              broker.pub("sensors/s1/cmd", "app:log=x;pub:out/a=hello", 1);
              var state =
                  ClientVerbsTest.mayfly("state", "probe/s1", "--url", url, "--token", "adm");
              assertThat(state.exitCode()).as(state.err()).isZero();
            });
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
  }

  /** The sample names of a Prometheus text scrape. */
  static Set<String> exportedNames(String scrape) {
    var names = new TreeSet<String>();
    for (String line : scrape.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher name = NAME.matcher(line);
      if (name.lookingAt()) {
        names.add(name.group());
      }
    }
    return names;
  }

  /** The metric names in the dashboard's panel queries and template variables. */
  static Set<String> dashboardMetricNames() throws Exception {
    JsonNode dashboard = MAPPER.readTree(Files.readString(DASHBOARD));
    var names = new TreeSet<String>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      names.addAll(promQlMetricNames(expr.asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher lv = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
      if (lv.find()) {
        names.add(lv.group(1));
      }
    }
    return names;
  }

  /**
   * The metric names of a PromQL expression: its identifiers once strings, label matchers, ranges
   * and label lists ({@code by (...)}) are removed, other than functions and keywords.
   */
  static Set<String> promQlMetricNames(String expr) {
    String e =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^\\]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    var names = new HashSet<String>();
    Matcher m = NAME.matcher(e);
    while (m.find()) {
      boolean function = e.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
      if (!function && !number && !PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void promQlNamesAreTheMetricsOnly() {
    assertThat(
            promQlMetricNames(
                "histogram_quantile(0.99, sum by (le, type) (rate(a_seconds_bucket{x=\"$i\"}[5m])))"
                    + " / on(instance) b_total offset 5m and c"))
        .containsExactlyInAnyOrder("a_seconds_bucket", "b_total", "c");
  }
}
