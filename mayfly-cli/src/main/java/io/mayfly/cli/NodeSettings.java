package io.mayfly.cli;

import io.mayfly.runtime.Durations;
import io.mayfly.runtime.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of {@code mayfly run}, from three sources: a properties file ({@code --config} or
 * {@code MAYFLY_CONFIG}), environment variables {@code MAYFLY_<KEY>} and command-line flags. A flag
 * overrides the environment, which overrides the file. A bad value is reported with its key and
 * where it came from. docs/configuration.md lists the keys and their defaults.
 */
final class NodeSettings {
  /** The keys, as written in a properties file; flags are {@code --<key>}. */
  static final List<String> KEYS =
      List.of(
          "http",
          "admin-token",
          "client-tokens",
          "insecure",
          "workers",
          "state-budget-bytes",
          "drain-timeout",
          "worker-spin",
          "idempotency-window",
          "max-body-bytes",
          "max-module-bytes",
          "metrics-port",
          "http-read-timeout",
          "http-idle-timeout",
          "http-max-connections",
          "event-buffer-bytes",
          "mqtt",
          "mqtt-client-id",
          "mqtt-reconnect-max-delay",
          "mqtt-shared-group",
          "mqtt-route",
          "mqtt-publish",
          "tracing",
          "otlp-endpoint",
          "cluster",
          "members",
          "cluster-host",
          "cluster-port",
          "node-id",
          "cluster-backup-count",
          "cluster-failure-timeout",
          "cluster-minimum-size");

  /**
   * Keys that take a list: numbered in a file ({@code mqtt-route.1}, {@code mqtt-route.2}, ...),
   * comma-separated in their environment variable, repeated as options. The list from the highest
   * source replaces the lower ones whole.
   */
  static final List<String> LIST_KEYS = List.of("mqtt-route", "mqtt-publish");

  /** Entries of a list setting, joined in {@link Value#text()} by this separator. */
  static final String LIST_SEPARATOR = "\n";

  private static final Pattern NUMBERED_KEY = Pattern.compile("([a-z-]+)\\.(\\d{1,9})");

  /** A value and where it came from, for error messages. */
  record Value(String text, String source) {}

  private final Map<String, Value> values;

  private NodeSettings(Map<String, Value> values) {
    this.values = values;
  }

  /** The environment variable of a key: {@code max-body-bytes} is {@code MAYFLY_MAX_BODY_BYTES}. */
  static String envName(String key) {
    String name = envNameOf(key);
    return switch (key) {
      case "mqtt-route" -> name + "S";
      default -> name;
    };
  }

  /**
   * Resolves the settings.
   *
   * @param flags values given on the command line, by key
   * @param env the environment
   * @param configFile the properties file, or {@code null} for {@code MAYFLY_CONFIG} or none
   * @throws SettingsException for an unreadable file, an unknown key or a bad value
   */
  static NodeSettings resolve(Map<String, String> flags, Map<String, String> env, Path configFile) {
    Map<String, Value> values = new LinkedHashMap<>();
    Path file = configFile;
    if (file == null && env.get("MAYFLY_CONFIG") != null) {
      file = Path.of(env.get("MAYFLY_CONFIG"));
    }
    if (file != null) {
      readFile(file, values);
    }
    for (String key : KEYS) {
      String name = envName(key);
      String v = env.get(name);
      if (v != null) {
        String text = LIST_KEYS.contains(key) ? v.strip().replace(",", LIST_SEPARATOR) : v.strip();
        values.put(key, new Value(text, "environment variable " + name));
      }
    }
    flags.forEach((key, v) -> values.put(key, new Value(v, "option --" + key)));
    return new NodeSettings(values);
  }

  /** The environment variable of a list key is plural: {@code MAYFLY_MQTT_ROUTES}. */
  private static String envNameOf(String key) {
    return "MAYFLY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static void readFile(Path file, Map<String, Value> values) {
    Properties p = load(file);
    // Numbered entries of list keys, in the order of their numbers (not of the file's lines,
    // which Properties does not keep).
    Map<String, TreeMap<Integer, String>> lists = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      String text = p.getProperty(key).strip();
      Matcher numbered = NUMBERED_KEY.matcher(key);
      if (numbered.matches() && LIST_KEYS.contains(numbered.group(1))) {
        lists
            .computeIfAbsent(numbered.group(1), k -> new TreeMap<>())
            .put(Integer.parseInt(numbered.group(2)), text);
      } else if (KEYS.contains(key) && !LIST_KEYS.contains(key)) {
        values.put(key, new Value(text, file + " key " + key));
      } else {
        throw new SettingsException(
            file
                + ": unknown key '"
                + key
                + "'; known keys: "
                + String.join(", ", KEYS)
                + " ("
                + String.join(", ", LIST_KEYS)
                + " numbered: "
                + LIST_KEYS.getFirst()
                + ".1, "
                + LIST_KEYS.getFirst()
                + ".2, ...)");
      }
    }
    lists.forEach(
        (key, entries) ->
            values.put(
                key,
                new Value(
                    String.join(LIST_SEPARATOR, entries.values()), file + " keys " + key + ".N")));
  }

  private static Properties load(Path file) {
    var p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new SettingsException("cannot read the config file " + file + ": " + e.getMessage());
    }
    return p;
  }

  Optional<Value> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  String string(String key, String defaultValue) {
    return value(key).map(Value::text).orElse(defaultValue);
  }

  /** The host of {@code http} ({@code HOST:PORT}, IPv6 as {@code [::1]:7070}). */
  String host() {
    return hostOf("http", "127.0.0.1:7070");
  }

  int port() {
    return portOf("http", "127.0.0.1:7070", 0);
  }

  /** The host of a {@code HOST:PORT} setting. */
  String hostOf(String key, String defaultValue) {
    String hp = string(key, defaultValue);
    int colon = hp.lastIndexOf(':');
    String host = colon < 0 ? "" : hp.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw bad(key, "must be HOST:PORT such as " + defaultValue);
    }
    return host;
  }

  /** The port of a {@code HOST:PORT} setting, at least {@code min}. */
  int portOf(String key, String defaultValue, int min) {
    String hp = string(key, defaultValue);
    int port;
    try {
      port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw bad(key, "must be HOST:PORT such as " + defaultValue);
    }
    if (port < min || port > 65535) {
      throw bad(key, "port must be in " + min + "..65535");
    }
    return port;
  }

  /** The entries of a list setting, in order; empty when not set. */
  List<String> list(String key) {
    return value(key)
        .map(
            v ->
                Arrays.stream(v.text().split(LIST_SEPARATOR))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList())
        .orElse(List.of());
  }

  /**
   * A topic mapping of a list setting: {@code FROM=TO} with an optional {@code ;qos=0} or {@code
   * ;qos=1} (default 1).
   */
  record TopicMapping(String from, String to, int qos) {}

  /** The entries of {@code mqtt-route} or {@code mqtt-publish}, checked for their syntax. */
  List<TopicMapping> topicMappings(String key) {
    var mappings = new java.util.ArrayList<TopicMapping>();
    for (String entry : list(key)) {
      mappings.add(topicMapping(key, entry));
    }
    return List.copyOf(mappings);
  }

  private TopicMapping topicMapping(String key, String entry) {
    String syntax =
        "entries must be FILTER=TEMPLATE[;qos=0|1] such as sensors/+/temperature=sensor/{1}";
    String[] parts = entry.split(";", -1);
    int eq = parts[0].indexOf('=');
    if (eq <= 0 || eq == parts[0].length() - 1) {
      throw badEntry(key, entry, syntax);
    }
    int qos = 1;
    for (int i = 1; i < parts.length; i++) {
      String option = parts[i].strip();
      switch (option) {
        case "qos=0" -> qos = 0;
        case "qos=1" -> qos = 1;
        default -> throw badEntry(key, entry, syntax + " (unknown option '" + option + "')");
      }
    }
    return new TopicMapping(
        parts[0].substring(0, eq).strip(), parts[0].substring(eq + 1).strip(), qos);
  }

  /** A bad entry of a list setting, named with the setting and its source. */
  SettingsException badEntry(String key, String entry, String rule) {
    Value v = values.get(key);
    String where = v == null ? "default" : v.source();
    return new SettingsException(key + " " + rule + ", was '" + entry + "' (from " + where + ")");
  }

  List<String> clientTokens() {
    return value("client-tokens")
        .map(
            v ->
                Arrays.stream(v.text().split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList())
        .orElse(List.of());
  }

  boolean bool(String key) {
    Optional<Value> v = value(key);
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get().text().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "" -> false;
      default -> throw bad(key, "must be true or false");
    };
  }

  Optional<Long> number(String key) {
    Optional<Value> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(v.get().text().replace("_", "")));
    } catch (NumberFormatException e) {
      throw bad(key, "must be a whole number");
    }
  }

  Optional<Duration> duration(String key) {
    Optional<Value> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(v.get().text()));
    } catch (InvalidConfigException e) {
      throw bad(key, "must be a duration: " + Durations.GRAMMAR);
    }
  }

  private SettingsException bad(String key, String rule) {
    Value v = values.get(key);
    String where = v == null ? "default" : v.source();
    String shown =
        key.endsWith("token") || key.endsWith("tokens")
            ? "(hidden)"
            : "'" + (v == null ? "" : v.text()) + "'";
    return new SettingsException(key + " " + rule + ", was " + shown + " (from " + where + ")");
  }

  /** A setting is wrong; the message names it and its source. A usage error (exit 2). */
  static final class SettingsException extends InvalidConfigException {
    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
      super(message);
    }
  }
}
