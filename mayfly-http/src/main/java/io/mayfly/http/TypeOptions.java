package io.mayfly.http;

import io.helidon.common.parameters.Parameters;
import io.mayfly.runtime.Durations;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.TypeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Query parameters of {@code PUT /v1/types/{type}} and of asks, parsed into runtime configuration.
 * A malformed value is an {@link InvalidConfigException} that names the parameter.
 */
final class TypeOptions {
  /** Parameters a deploy accepts; anything else is refused so a typo does not go unnoticed. */
  static final List<String> DEPLOY_PARAMETERS =
      List.of(
          "ttl",
          "mailboxCapacity",
          "turnTimeout",
          "askTimeout",
          "maxMessageBytes",
          "maxStateBytes",
          "maxMemoryPages",
          "maxEffectsPerTurn",
          "subscribe");

  private TypeOptions() {}

  /** The type configuration from a deploy's query, starting from the defaults. */
  static TypeConfig deployConfig(Parameters query) {
    for (String name : query.names()) {
      if (!DEPLOY_PARAMETERS.contains(name)) {
        throw new InvalidConfigException(
            "unknown query parameter '"
                + name
                + "'; known: "
                + String.join(", ", DEPLOY_PARAMETERS));
      }
    }
    TypeConfig.Builder b = TypeConfig.builder();
    first(query, "ttl", v -> b.ttl(ttl(v)));
    first(query, "mailboxCapacity", v -> b.mailboxCapacity(integer("mailboxCapacity", v)));
    first(query, "turnTimeout", v -> b.turnTimeout(duration("turnTimeout", v)));
    first(query, "askTimeout", v -> b.askTimeout(duration("askTimeout", v)));
    first(query, "maxMessageBytes", v -> b.maxMessageBytes(integer("maxMessageBytes", v)));
    first(query, "maxStateBytes", v -> b.maxStateBytes(integer("maxStateBytes", v)));
    first(query, "maxMemoryPages", v -> b.maxMemoryPages(integer("maxMemoryPages", v)));
    first(query, "maxEffectsPerTurn", v -> b.maxEffectsPerTurn(integer("maxEffectsPerTurn", v)));
    if (query.contains("subscribe")) {
      for (String s : query.all("subscribe")) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
          throw new InvalidConfigException(
              "subscribe must be FILTER:ID_TEMPLATE such as alerts/+:{1}, was '" + s + "'");
        }
        b.subscribe(s.substring(0, colon), s.substring(colon + 1));
      }
    }
    return b.build();
  }

  private static void first(Parameters query, String name, Consumer<String> apply) {
    if (query.contains(name)) {
      apply.accept(query.first(name).orElse(""));
    }
  }

  /**
   * A TTL as {@code POLICY[:DURATION]}: {@code after_access:10m}, {@code after_write:30s}, {@code
   * at_deadline:1h}, {@code never}.
   */
  static Ttl ttl(String value) {
    int colon = value.indexOf(':');
    String policyName = colon < 0 ? value : value.substring(0, colon);
    TtlPolicy policy = policy(policyName);
    if (policy == TtlPolicy.NEVER) {
      return Ttl.never();
    }
    if (colon < 0) {
      throw new InvalidConfigException(
          "ttl must be POLICY:DURATION such as after_access:10m (or never), was '" + value + "'");
    }
    return new Ttl(policy, duration("ttl", value.substring(colon + 1)));
  }

  private static TtlPolicy policy(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("-", "_");
    for (TtlPolicy p : TtlPolicy.values()) {
      if (p != TtlPolicy.DEFAULT && policyName(p).equals(n)) {
        return p;
      }
    }
    throw new InvalidConfigException(
        "ttl policy must be after_write, after_access, at_deadline or never, was '" + name + "'");
  }

  /** The wire name of a policy, such as {@code after_access}. */
  static String policyName(TtlPolicy policy) {
    return policy.name().toLowerCase(Locale.ROOT);
  }

  /** A positive integer parameter. */
  static int integer(String parameter, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(parameter + " must be an integer, was '" + value + "'", e);
    }
  }

  /** A duration parameter, in the grammar of {@link Durations}. */
  static Duration duration(String parameter, String value) {
    Duration d = parseDuration(parameter, value);
    try {
      d.toNanos();
    } catch (ArithmeticException e) {
      throw new InvalidConfigException(
          parameter + " is too long: at most 106751d (about 292 years), was '" + value + "'", e);
    }
    return d;
  }

  private static Duration parseDuration(String parameter, String value) {
    try {
      return Durations.parse(value);
    } catch (InvalidConfigException e) {
      throw new InvalidConfigException(
          parameter + " must be a duration (" + Durations.GRAMMAR + "), was '" + value + "'", e);
    }
  }
}
