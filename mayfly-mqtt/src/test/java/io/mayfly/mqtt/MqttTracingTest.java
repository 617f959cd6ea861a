package io.mayfly.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Span;
import io.mayfly.runtime.TraceContext;
import io.mayfly.testing.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W3C trace context in MQTT 5 user properties, against a real mosquitto broker. */
class MqttTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final TraceContext CALLER =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

  @TempDir Path dir;
  private Mosquitto broker;
  private Mayfly node;
  private MqttBridge bridge;
  private Mqtt5BlockingClient client;

  @BeforeEach
  void start() throws Exception {
    broker = Mosquitto.start(dir);
    node = Mayfly.builder().workers(2).tracing(true).build();
    node.deploy("probe", Guests.PROBE);
    bridge =
        MqttBridge.builder()
            .node(node)
            .broker("127.0.0.1", broker.port())
            .clientId("traced")
            .route("sensors/+/in", "probe/{1}")
            .publish("alerts/#", "mayfly/alerts/{1}")
            .build();
    bridge.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("test-client")
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    client.connect();
  }

  @AfterEach
  void stop() throws Exception {
    client.disconnect();
    bridge.close();
    node.close();
    broker.stop();
  }

  private List<Span> spansOf(String traceId, int count) {
    await()
        .atMost(WAIT)
        .until(() -> node.tracing().trace(traceId).map(List::size).orElse(0) == count);
    return node.tracing().trace(traceId).orElseThrow();
  }

  private static Span named(List<Span> spans, String name, String actor) {
    return spans.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> actor == null || Address.parse(actor).equals(s.actor()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " of " + actor + " in " + spans));
  }

  @Test
  void aMessageWithATraceparentUserPropertyStartsTurnsInTheCallersTrace() {
    client
        .publishWith()
        .topic("sensors/s1/in")
        .qos(MqttQos.AT_LEAST_ONCE)
        .userProperties()
        .add("traceparent", CALLER.traceparent())
        .applyUserProperties()
        .payload("send:probe/b=put:k=v".getBytes(UTF_8))
        .send();

    List<Span> spans = spansOf(CALLER.traceId(), 3);
    Span received = named(spans, "mqtt sensors/s1/in", null);
    Span s1 = named(spans, "tell probe", "probe/s1");
    Span b = named(spans, "tell probe", "probe/b");
    assertThat(received.parentSpanId()).isEqualTo(CALLER.spanId());
    assertThat(received.kind()).isEqualTo(Span.Kind.CONSUMER);
    assertThat(received.attributes()).containsEntry("mayfly.actor", "probe/s1");
    assertThat(s1.parentSpanId()).isEqualTo(received.spanId());
    assertThat(b.parentSpanId()).isEqualTo(s1.spanId());
  }

  @Test
  void aMessageWithoutTraceparentStartsANewTrace() {
    client
        .publishWith()
        .topic("sensors/s2/in")
        .payload("put:k=v".getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    await().atMost(WAIT).until(() -> !node.tracing().recent(1).isEmpty());
    String traceId = node.tracing().recent(1).getFirst().traceId();
    List<Span> spans = spansOf(traceId, 2);
    assertThat(named(spans, "mqtt sensors/s2/in", null).parentSpanId()).isNull();
    assertThat(node.tracing().recent(1).getFirst().root()).isEqualTo("mqtt sensors/s2/in");
  }

  @Test
  void aPublicationForwardedToTheBrokerCarriesThePublishingTurnsSpan() throws Exception {
    try (var publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("mayfly/alerts/#").qos(MqttQos.AT_LEAST_ONCE).send();
      node.tell(Address.parse("probe/p1"), "pub:alerts/site-7=hot".getBytes(UTF_8), CALLER);

      Mqtt5Publish forwarded = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
      assertThat(forwarded.getTopic().toString()).isEqualTo("mayfly/alerts/site-7");
      String traceparent =
          forwarded.getUserProperties().asList().stream()
              .filter(p -> p.getName().toString().equals("traceparent"))
              .map(p -> p.getValue().toString())
              .findFirst()
              .orElseThrow();
      Span publishing = named(spansOf(CALLER.traceId(), 1), "tell probe", "probe/p1");
      assertThat(traceparent)
          .isEqualTo("00-" + CALLER.traceId() + "-" + publishing.spanId() + "-01");
    }
  }
}
