package io.mayfly.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's check of the console's files, before any browser: every file the page references is
 * one the node serves, and no file references anything outside the node (a node at the edge runs
 * offline, and the page carries the admin token). Prints the page weight.
 */
class ConsoleAssetsTest {
  /** A URL with a scheme or a protocol-relative one: anything that leaves the node. */
  private static final Pattern EXTERNAL =
      Pattern.compile("(?i)([a-z][a-z0-9+.-]*:)?//[a-z0-9.-]+|\\b(https?|wss?|ftp):");

  /** References in HTML attributes and CSS. */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?i)(?:\\b(?:src|href|action|srcset|poster|data)\\s*=\\s*[\"']([^\"'#][^\"']*)[\"']"
              + "|url\\(\\s*[\"']?([^\"')]+)[\"']?\\s*\\)|@import\\s+[\"']([^\"']+)[\"'])");

  /**
   * What the script fetches: the literal paths it gives fetch and its API helpers (getJson, api
   * with a method), and anything it would load another way.
   */
  private static final Pattern FETCHED =
      Pattern.compile(
          "\\b(?:fetch|getJson|api|import|importScripts|new\\s+(?:EventSource|WebSocket|Worker))"
              + "\\s*\\(\\s*(?:'[A-Z]+',\\s*)?[\"'`]([^\"'`]*)");

  private static final Map<String, String> files = new LinkedHashMap<>();

  @BeforeAll
  static void readTheFiles() throws IOException {
    for (String name : ConsoleRoutes.ASSETS) {
      try (InputStream in =
          ConsoleRoutes.class.getResourceAsStream(ConsoleRoutes.RESOURCE_DIR + name)) {
        assertThat(in).as("console/" + name + " in the jar").isNotNull();
        files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    long weight =
        files.values().stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
    System.out.println(
        "console page weight: " + weight + " bytes in " + files.size() + " files " + sizes());
  }

  private static Map<String, Integer> sizes() {
    var out = new LinkedHashMap<String, Integer>();
    files.forEach((n, s) -> out.put(n, s.getBytes(StandardCharsets.UTF_8).length));
    return out;
  }

  @Test
  void everyFileThePageReferencesIsServed() {
    List<String> referenced = new ArrayList<>();
    for (var file : files.entrySet()) {
      if (file.getKey().endsWith(".js")) {
        continue; // scripts reach the API, checked below
      }
      Matcher m = REFERENCE.matcher(file.getValue());
      while (m.find()) {
        String ref = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        referenced.add(ref.strip());
      }
    }
    assertThat(referenced).contains("console.css", "console.js");
    for (String ref : referenced) {
      assertThat(ConsoleRoutes.ASSETS).as("the page references " + ref).contains(ref);
    }
    // And every served file is used: the list of assets is not a dumping ground.
    assertThat(referenced)
        .containsAll(ConsoleRoutes.ASSETS.subList(1, ConsoleRoutes.ASSETS.size()));
  }

  @Test
  void noFileReferencesAnythingOutsideTheNode() {
    for (var file : files.entrySet()) {
      Matcher m = EXTERNAL.matcher(file.getValue());
      if (m.find()) {
        fail(file.getKey() + " refers outside the node: " + m.group());
      }
      assertThat(file.getValue()).as(file.getKey() + " loads fonts").doesNotContain("@font-face");
    }
  }

  @Test
  void scriptsFetchOnlyThisNodesPaths() {
    String js = files.get("console.js");
    Matcher m = FETCHED.matcher(js);
    List<String> fetched = new ArrayList<>();
    while (m.find()) {
      fetched.add(m.group(1));
    }
    assertThat(fetched).isNotEmpty();
    for (String path : fetched) {
      if (path.matches("[A-Z]+")) {
        continue; // api('GET', path): a method, then a path held in a variable
      }
      assertThat(path).as("a fetched path").startsWith("/").doesNotStartWith("//");
    }
  }

  @Test
  void theCheckCatchesAnExternalReference() {
    // The patterns above must recognise what they are there to refuse.
    assertThat(EXTERNAL.matcher("<script src=\"https://cdn.example/x.js\">").find()).isTrue();
    assertThat(EXTERNAL.matcher("url(//fonts.example/f.woff2)").find()).isTrue();
    assertThat(EXTERNAL.matcher("fetch('http://10.0.0.1/x')").find()).isTrue();
    assertThat(EXTERNAL.matcher("a // comment and b").find()).isFalse();
    Matcher ref = REFERENCE.matcher("<link rel=\"stylesheet\" href=\"missing.css\">");
    assertThat(ref.find()).isTrue();
    assertThat(ref.group(1)).isEqualTo("missing.css");
  }
}
