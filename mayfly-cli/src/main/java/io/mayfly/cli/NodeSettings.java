package io.mayfly.cli;

import io.mayfly.runtime.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
          "max-body-bytes",
          "max-module-bytes");

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  /** A value and where it came from, for error messages. */
  record Value(String text, String source) {}

  private final Map<String, Value> values;

  private NodeSettings(Map<String, Value> values) {
    this.values = values;
  }

  /** The environment variable of a key: {@code max-body-bytes} is {@code MAYFLY_MAX_BODY_BYTES}. */
  static String envName(String key) {
    return "MAYFLY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
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
      Properties p = load(file);
      for (String key : p.stringPropertyNames()) {
        if (!KEYS.contains(key)) {
          throw new SettingsException(
              file + ": unknown key '" + key + "'; known keys: " + String.join(", ", KEYS));
        }
        values.put(key, new Value(p.getProperty(key).strip(), file + " key " + key));
      }
    }
    for (String key : KEYS) {
      String v = env.get(envName(key));
      if (v != null) {
        values.put(key, new Value(v.strip(), "environment variable " + envName(key)));
      }
    }
    flags.forEach((key, v) -> values.put(key, new Value(v, "option --" + key)));
    return new NodeSettings(values);
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
    String hp = string("http", "127.0.0.1:7070");
    int colon = hp.lastIndexOf(':');
    String host = colon < 0 ? "" : hp.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw bad("http", "must be HOST:PORT such as 127.0.0.1:7070");
    }
    return host;
  }

  int port() {
    String hp = string("http", "127.0.0.1:7070");
    int port;
    try {
      port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw bad("http", "must be HOST:PORT such as 127.0.0.1:7070");
    }
    if (port < 0 || port > 65535) {
      throw bad("http", "port must be in 0..65535");
    }
    return port;
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
    String t = v.get().text();
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          });
    }
    try {
      return Optional.of(Duration.parse(t));
    } catch (DateTimeParseException e) {
      throw bad(key, "must be a duration such as 500ms, 10s, 5m or PT10S");
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
