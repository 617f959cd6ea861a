package io.mayfly.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of the HTTP layer: what it refused or cut off, by reason. Without a registry they
 * count nothing (the log still says what happened).
 */
final class HttpMetrics {
  /** Event streams ended by the server, by {@code reason}. */
  static final String EVENT_STREAMS_CLOSED = "mayfly.http.events.closed";

  /** Connections the server closed, by {@code reason}. */
  static final String CONNECTIONS_CLOSED = "mayfly.http.connections.closed";

  /** Requests refused before routing (malformed, too large), by {@code reason}. */
  static final String REJECTED = "mayfly.http.rejected";

  /** Clients that went away in the middle of a request. */
  static final String CLIENT_DISCONNECTS = "mayfly.http.client.disconnects";

  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String name, String reason) {
    if (registry != null) {
      Counter.builder(name)
          .description(description(name))
          .tag("reason", reason)
          .register(registry)
          .increment();
    }
  }

  private static String description(String name) {
    return switch (name) {
      case EVENT_STREAMS_CLOSED -> "event streams ended by the server, by reason";
      case CONNECTIONS_CLOSED -> "connections closed by the server, by reason";
      case REJECTED -> "requests refused before routing, by reason";
      case CLIENT_DISCONNECTS -> "clients that went away in the middle of a request";
      default -> name;
    };
  }
}
