package io.mayfly.mqtt;

import io.mayfly.runtime.Mayfly;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;

/** A checked bridge configuration, from {@link MqttBridge.Builder}. */
record BridgeConfig(
    Mayfly node,
    String host,
    int port,
    String clientId,
    String username,
    byte[] password,
    List<InboundRoute> routes,
    List<OutboundRoute> publications,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay,
    Duration retryInitialDelay,
    Duration retryMaxDelay,
    Duration sessionExpiry,
    int maxInFlight,
    MeterRegistry meterRegistry) {}
