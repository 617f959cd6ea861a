package io.mayfly.http;

import static io.mayfly.testing.Checkout.guest;
import static io.mayfly.testing.Checkout.guestPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mayfly.runtime.Mayfly;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console end to end in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which scripts/test and .ci/run install): a node on a free port with a deployed
 * type, every view showing its real data, a screenshot of the main view, and the action "switch
 * recording on, send messages, replay a turn on a changed module, see the diff". Prints the time to
 * first render from the browser's own Navigation and Paint timing, and the page weight.
 */
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path profile;

  private MayflyHttpServer server;
  private ChromeDriver browser;

  @BeforeAll
  static void needsChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String reason =
          "ConsoleBrowserTest skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed"
              + " (apt-get install chromium chromium-driver; scripts/test installs them)";
      System.out.println(reason);
      Assumptions.abort(reason);
    }
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private TestClient startNode(String adminToken) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Mayfly node = Mayfly.builder().workers(2).meterRegistry(registry).build();
    var b = MayflyHttpServer.builder().node(node).port(0).metrics(registry);
    if (adminToken != null) {
      b.adminToken(adminToken);
    }
    server = b.build().start();
    var http = new TestClient(server.url(), adminToken);
    assertThat(http.put("/v1/types/probe", guest("probe")).statusCode()).isEqualTo(201);
    return http;
  }

  private void openBrowser(int width, int height) {
    openBrowser(width, height, false);
  }

  /** With {@code phone}, the page sees a phone's viewport of that size (a window cannot be). */
  private void openBrowser(int width, int height, boolean phone) {
    var options = new ChromeOptions();
    if (phone) {
      options.setExperimentalOption(
          "mobileEmulation",
          Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 2.0)));
    }
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  private void eventually(Callable<Boolean> condition) {
    await().atMost(PATIENCE).ignoreExceptions().until(condition);
  }

  private WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  private void view(String name) {
    browser.findElement(By.cssSelector("nav a[data-view='" + name + "']")).click();
    eventually(() -> byId(name).isDisplayed());
  }

  private void ask(TestClient http, String address, String script) {
    var r = http.post("/v1/actors/" + address + "/ask", script);
    assertThat(r.statusCode()).as(TestClient.text(r)).isEqualTo(200);
  }

  @Test
  void everyViewShowsTheNodesDataAndATurnReplaysOnChangedCode() throws IOException {
    TestClient http = startNode(null);
    ask(http, "probe/a", "put:k=v;put:t=x;ttl:t=1,90000"); // t: 90 s after write
    openBrowser(1280, 900);
    browser.get(server.url() + "/console/");

    // Overview: the deployed type, its actors and state, and the charts once two polls are in.
    eventually(() -> byId("types").getText().contains("probe"));
    eventually(() -> firstTypeRow().get(1).getText().equals("1"));
    for (int i = 0; i < 20; i++) {
      ask(http, "probe/load-" + i, "put:n=" + i);
    }
    // Load across a few polls, so that the charts have a line to draw.
    eventually(
        () -> {
          for (int i = 0; i < 10; i++) {
            ask(http, "probe/load-" + i, "inc:n");
          }
          return byId("chart-turns")
                  .findElement(By.tagName("polyline"))
                  .getAttribute("points")
                  .split(" ")
                  .length
              >= 4;
        });
    eventually(() -> Long.parseLong(firstTypeRow().get(4).getText().replace(",", "")) >= 21);
    assertThat(firstTypeRow().get(2).getText()).hasSize(12); // the module's digest, shortened
    assertThat(byId("health").getText()).isEqualTo("up");
    assertThat(byId("chart-latency").getText()).contains("mean");
    printTiming();
    Path shot = Path.of("target", "console-overview.png");
    screenshot(shot);

    // Actors: the paged list and one actor's state with its remaining TTL.
    view("actors");
    eventually(() -> browser.findElement(By.linkText("a")).isDisplayed());
    browser.findElement(By.linkText("a")).click();
    eventually(() -> byId("state-title").getText().equals("probe/a"));
    List<WebElement> entry = byId("state-entries").findElements(By.cssSelector("tbody td"));
    assertThat(entry.get(0).getText()).isEqualTo("k");
    assertThat(entry.get(1).getText()).isEqualTo("v");
    assertThat(entry.get(2).getText())
        .matches("(9m\\d\\ds|10m00s) \\(actor\\)"); // after_access:10m
    assertThat(entry.get(3).getText()).isEqualTo("t");
    assertThat(entry.get(5).getText()).matches("1m[0-3]\\ds"); // its own TTL, counting down
    assertThat(byId("actors-page").getText()).isEqualTo("1–21");

    // Topics: a live tail of what actors publish.
    view("topics");
    WebElement filter = byId("tail-filter");
    filter.clear();
    filter.sendKeys("out/#");
    byId("tail-start").click();
    eventually(() -> byId("tail-status").getText().equals("subscribed to out/#"));
    ask(http, "probe/a", "pub:out/x=hello");
    eventually(() -> byId("tail-events").getText().contains("out/x  probe/a  \"hello\""));

    // Recordings: switch one actor on, send it messages, replay a turn, unchanged and changed.
    view("recordings");
    byId("rec-actor").sendKeys("probe/r");
    byId("rec-on").click();
    eventually(() -> byId("rec-types").getText().contains("probe/r"));
    ask(http, "probe/r", "put:k=v");
    ask(http, "probe/r", "get:k");
    eventually(
        () -> {
          byId("rec-show").click();
          return byId("rec-turns").findElements(By.cssSelector("button.replay")).size() == 2;
        });
    assertThat(byId("rec-turns").getText()).contains("probe/r #1  ask \"put:k=v\"  → committed");
    eventually(() -> firstCells("rec-types").get(3).getText().equals("2")); // turns kept

    replayButton(0).click();
    eventually(() -> byId("diff-verdict").getText().equals("reproduced exactly"));
    assertThat(byId("diff-title").getText())
        .isEqualTo("turn 1 of 2 of probe/r replayed on the module that ran it");

    byId("rec-module").sendKeys(guestPath("counter").toAbsolutePath().toString());
    replayButton(0).click();
    eventually(() -> byId("diff-verdict").getText().equals("differs from the recording"));
    assertThat(byId("diff-title").getText()).endsWith("replayed on counter.wasm");
    assertThat(byId("diff-lines").findElements(By.tagName("li"))).isNotEmpty();
    assertThat(byId("diff-recorded").getText()).contains("k = \"v\"");
    assertThat(byId("diff-replayed").getText()).doesNotContain("k = \"v\"");
    screenshot(Path.of("target", "console-replay-diff.png"));

    // The whole type's switch.
    byId("rec-types").findElement(By.cssSelector("button[data-type='probe']")).click();
    eventually(
        () ->
            byId("rec-types")
                .findElement(By.cssSelector("button[data-type='probe']"))
                .getText()
                .equals("on"));
    assertThat(
            TestClient.json(http.get("/v1/recordings"))
                .path("types")
                .get(0)
                .path("wholeType")
                .asBoolean())
        .isTrue();

    // Traces: this node has no trace route, which the panel reads as tracing off.
    view("traces");
    eventually(() -> byId("traces-off").isDisplayed());
    assertThat(byId("traces-off").getText()).isEqualTo("Tracing is off on this node.");
  }

  @Test
  void theTracesPanelDrawsTheTraceContract() {
    startNode(null);
    openBrowser(1280, 900);
    browser.get(server.url() + "/console/");
    eventually(() -> byId("types").getText().contains("probe"));
    // The trace routes come with tracing; until this node has them, the page's fetch answers
    // what the contract says they answer.
    ((JavascriptExecutor) browser)
        .executeScript(
            """
            const list = {traces: [{traceId: '4bf92f3577b34da6a3ce929d0e0e4736', root: 'POST /v1/actors/probe/a/ask',
              startEpochMs: 1764750000000, durationMicros: 1500, spans: 2, error: false}]};
            const one = {traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spans: [
              {spanId: '00f067aa0ba902b7', parentSpanId: null, name: 'POST /v1/actors/probe/a/ask', actor: null,
               kind: 'server', startEpochMicros: 1764750000000000, durationMicros: 1500, status: 'ok', attributes: {}},
              {spanId: '00f067aa0ba902b8', parentSpanId: '00f067aa0ba902b7', name: 'turn', actor: 'probe/a',
               kind: 'internal', startEpochMicros: 1764750000000400, durationMicros: 900, status: 'error',
               attributes: {'mayfly.reason': 'guest_trap'}}]};
            const real = window.fetch;
            window.fetch = (path, init) => {
              const body = path.startsWith('/v1/traces?') ? list : path.startsWith('/v1/traces/') ? one : null;
              return body ? Promise.resolve(new Response(JSON.stringify(body),
                {status: 200, headers: {'Content-Type': 'application/json'}})) : real(path, init);
            };
            """);
    view("traces");
    eventually(() -> byId("trace-list").getText().contains("4bf92f3577b34da6"));
    assertThat(byId("trace-list").getText()).contains("POST /v1/actors/probe/a/ask", "1.500 ms");
    assertThat(byId("traces-off").isDisplayed()).isFalse();
    byId("trace-list").findElement(By.tagName("button")).click();
    eventually(() -> byId("trace-waterfall").findElements(By.cssSelector(".span-row")).size() == 2);
    assertThat(byId("trace-waterfall").getText()).contains("turn probe/a · 0.900 ms");
    assertThat(byId("trace-waterfall").findElements(By.cssSelector("rect.error"))).hasSize(1);
  }

  @Test
  void withATokenThePageAsksForItAndTheApiRefusesWithoutIt() {
    startNode("adm");
    openBrowser(390, 844, true); // a phone's screen
    browser.get(server.url() + "/console/");
    eventually(() -> byId("token-form").isDisplayed());
    assertThat(byId("error").getText()).startsWith("This node requires its admin token");
    assertThat(byId("types").findElements(By.cssSelector("tbody tr"))).isEmpty();

    byId("token").sendKeys("wrong");
    byId("token-form").submit();
    eventually(() -> byId("token-form").isDisplayed());

    byId("token").sendKeys("adm");
    byId("token-form").submit();
    eventually(() -> byId("types").getText().contains("probe"));
    assertThat(byId("token-form").isDisplayed()).isFalse();
    assertThat(byId("error").isDisplayed()).isFalse();

    // Usable on a small screen: nothing wider than the screen but the tables' own scrollers.
    var js = (JavascriptExecutor) browser;
    assertThat(((Number) js.executeScript("return window.innerWidth;")).longValue()).isEqualTo(390);
    Object overflow =
        js.executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
  }

  private List<WebElement> firstTypeRow() {
    return firstCells("types");
  }

  private List<WebElement> firstCells(String table) {
    return byId(table).findElements(By.cssSelector("tbody tr:first-child td"));
  }

  private WebElement replayButton(int index) {
    return byId("rec-turns").findElements(By.cssSelector("button.replay")).get(index);
  }

  /** Writes a screenshot and checks that it is a PNG with something drawn on it. */
  private void screenshot(Path file) throws IOException {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, png);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isGreaterThan(300);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours in " + file).isGreaterThan(8);
  }

  /** Time to first render and page weight, from the browser's own timing. */
  @SuppressWarnings("unchecked")
  private void printTiming() {
    var timing =
        (Map<String, Object>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    """
                    const nav = performance.getEntriesByType('navigation')[0];
                    const paint = performance.getEntriesByName('first-contentful-paint')[0]
                      || performance.getEntriesByName('first-paint')[0];
                    const files = performance.getEntriesByType('resource')
                      .filter((r) => r.name.includes('/console/'));
                    return {
                      responseStart: nav.responseStart,
                      domContentLoaded: nav.domContentLoadedEventEnd,
                      load: nav.loadEventEnd,
                      firstPaint: paint ? paint.startTime : null,
                      bytes: nav.encodedBodySize + files.reduce((n, r) => n + r.encodedBodySize, 0)
                    };""");
    System.out.printf(
        "console first render: first contentful paint %s ms, DOMContentLoaded %s ms, load %s ms"
            + " (response start %s ms); page weight %s bytes%n",
        timing.get("firstPaint"),
        timing.get("domContentLoaded"),
        timing.get("load"),
        timing.get("responseStart"),
        timing.get("bytes"));
  }
}
