package io.mayfly.runtime;

import static io.mayfly.runtime.Probe.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.spi.SpanSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trace context through the actor system: every turn is a span, child of the span that sent its
 * message, across sends, asks, replies, publications and timers.
 */
class TracingTest {
  private final ManualClock clock = ManualClock.create();
  private final List<Span> exported = new CopyOnWriteArrayList<>();
  private final SpanSink sink = exported::add;
  private Mayfly node = tracingNode(Mayfly.builder());

  private Mayfly tracingNode(Mayfly.Builder builder) {
    Mayfly n = builder.synchronous(true).clock(clock).spanSink(sink).build();
    n.deploy("probe", Probe.WASM, TypeConfig.builder().askTimeout(Duration.ofSeconds(2)).build());
    return n;
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static final TraceContext CALLER =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=x");

  private List<Span> spansOf(String traceId) {
    return node.tracing().trace(traceId).orElseThrow();
  }

  private static Span turnOf(List<Span> spans, String actor, MessageKind kind) {
    return spans.stream()
        .filter(s -> Address.parse(actor).equals(s.actor()))
        .filter(s -> s.attributes().get("mayfly.message.kind").equals(kind.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " turn of " + actor + " in " + spans));
  }

  @Test
  void aChainOfActorsIsOneTraceWithEachTurnTheChildOfTheTurnThatSentItsMessage() {
    node.tell(Address.parse("probe/a"), bytes("send:probe/b=send:probe/c=put:k=v"), CALLER);

    List<Span> spans = spansOf(CALLER.traceId());
    assertThat(spans).hasSize(3);
    Span a = turnOf(spans, "probe/a", MessageKind.TELL);
    Span b = turnOf(spans, "probe/b", MessageKind.TELL);
    Span c = turnOf(spans, "probe/c", MessageKind.TELL);
    assertThat(a.parentSpanId()).isEqualTo(CALLER.spanId());
    assertThat(b.parentSpanId()).isEqualTo(a.spanId());
    assertThat(c.parentSpanId()).isEqualTo(b.spanId());
    assertThat(List.of(a.spanId(), b.spanId(), c.spanId())).doesNotHaveDuplicates();
    assertThat(a.name()).isEqualTo("tell probe");
    assertThat(a.kind()).isEqualTo(Span.Kind.CONSUMER);
    assertThat(b.attributes()).containsEntry("mayfly.sender", "probe/a");
    assertThat(exported).containsExactlyInAnyOrderElementsOf(spans);
  }

  @Test
  void aFanOutAndFanInThroughAsksAndRepliesIsOneTrace() {
    String reply =
        Probe.text(
            node.ask(
                    Address.parse("probe/coord"),
                    bytes("ask:probe/w1=reply:one;ask:probe/w2=reply:two"),
                    null,
                    CALLER)
                .toCompletableFuture()
                .join());
    assertThat(reply).isNotEmpty();

    List<Span> spans = spansOf(CALLER.traceId());
    Span coord = turnOf(spans, "probe/coord", MessageKind.ASK);
    Span w1 = turnOf(spans, "probe/w1", MessageKind.ASK);
    Span w2 = turnOf(spans, "probe/w2", MessageKind.ASK);
    List<Span> replies =
        spans.stream()
            .filter(s -> s.attributes().get("mayfly.message.kind").equals("REPLY"))
            .toList();
    assertThat(spans).hasSize(5);
    assertThat(coord.parentSpanId()).isEqualTo(CALLER.spanId());
    assertThat(coord.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(w1.parentSpanId()).isEqualTo(coord.spanId());
    assertThat(w2.parentSpanId()).isEqualTo(coord.spanId());
    // Each answer comes back as a turn of the coordinator, child of the turn that answered.
    assertThat(replies)
        .allSatisfy(r -> assertThat(r.actor()).isEqualTo(Address.parse("probe/coord")))
        .extracting(Span::parentSpanId)
        .containsExactlyInAnyOrder(w1.spanId(), w2.spanId());
    assertThat(node.tracing().recent(10))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.traceId()).isEqualTo(CALLER.traceId());
              assertThat(t.root()).isEqualTo("ask probe");
              assertThat(t.spans()).isEqualTo(5);
              assertThat(t.error()).isFalse();
            });
  }

  @Test
  void aTimerKeepsTheTraceOfTheTurnThatSetIt() {
    node.tell(Address.parse("probe/t"), bytes("timer:500=put:fired=yes"), CALLER);
    clock.advance(Duration.ofMillis(500));

    List<Span> spans = spansOf(CALLER.traceId());
    Span set = turnOf(spans, "probe/t", MessageKind.TELL);
    Span fired = turnOf(spans, "probe/t", MessageKind.TIMER);
    assertThat(fired.parentSpanId()).isEqualTo(set.spanId());
    assertThat(fired.startEpochNanos() - set.startEpochNanos())
        .isEqualTo(Duration.ofMillis(500).toNanos());
  }

  @Test
  void aTimedOutAskRepliesInTheTraceOfTheAskingTurn() {
    node.tell(Address.parse("probe/a"), bytes("ask:probe/b=handle:h"), CALLER);
    clock.advance(Duration.ofSeconds(2));

    List<Span> spans = spansOf(CALLER.traceId());
    Span asking = turnOf(spans, "probe/a", MessageKind.TELL);
    Span timeout = turnOf(spans, "probe/a", MessageKind.REPLY);
    assertThat(timeout.parentSpanId()).isEqualTo(asking.spanId());
  }

  @Test
  void aDeferredReplyKeepsTheTraceOfTheTurnThatAnswered() {
    var pending =
        node.ask(Address.parse("probe/coord"), bytes("handle:h"), null, CALLER)
            .toCompletableFuture();
    TraceContext later =
        TraceContext.parse("00-11111111111111111111111111111111-2222222222222222-01", null);
    node.tell(Address.parse("probe/a"), bytes("ask:probe/coord=replyto:h=done"), later);

    assertThat(pending).isCompletedWithValueMatching(b -> Probe.text(b).equals("done"));
    Span coordAsked = turnOf(spansOf(later.traceId()), "probe/coord", MessageKind.ASK);
    Span aGotReply = turnOf(spansOf(later.traceId()), "probe/a", MessageKind.REPLY);
    assertThat(aGotReply.parentSpanId()).isEqualTo(coordAsked.spanId());
  }

  @Test
  void aPublicationIsAChildOfThePublishingTurn() {
    node.tell(Address.parse("probe/listener"), bytes("sub:news/#"));
    node.tell(Address.parse("probe/pub"), bytes("pub:news/today=hello"), CALLER);

    List<Span> spans = spansOf(CALLER.traceId());
    Span published = turnOf(spans, "probe/pub", MessageKind.TELL);
    Span heard = turnOf(spans, "probe/listener", MessageKind.PUBLICATION);
    assertThat(heard.parentSpanId()).isEqualTo(published.spanId());
    assertThat(heard.attributes()).containsEntry("mayfly.topic", "news/today");
  }

  @Test
  void aMessageWithoutContextStartsANewTraceAndAFailedTurnMarksItAsAnError() {
    node.tell(Address.parse("probe/x"), bytes("send:probe/y=trap"));

    TraceSummary trace = node.tracing().recent(1).getFirst();
    assertThat(trace.error()).isTrue();
    assertThat(trace.root()).isEqualTo("tell probe");
    List<Span> spans = spansOf(trace.traceId());
    Span x = turnOf(spans, "probe/x", MessageKind.TELL);
    Span y = turnOf(spans, "probe/y", MessageKind.TELL);
    assertThat(x.parentSpanId()).isNull();
    assertThat(y.parentSpanId()).isEqualTo(x.spanId());
    assertThat(y.error()).isTrue();
    assertThat(y.attributes()).containsEntry("mayfly.failure.reason", "guest_trap");
  }

  @Test
  void anUnsampledTraceIsCarriedButNotRecorded() {
    TraceContext unsampled =
        TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", null);
    node.tell(Address.parse("probe/a"), bytes("send:probe/b=put:k=v"), unsampled);
    assertThat(node.tracing().recent(10)).isEmpty();
    assertThat(exported).isEmpty();
  }

  @Test
  void theRingKeepsTheNewestTracesWithinItsCountNewestFirst() {
    node.close();
    node = tracingNode(Mayfly.builder().keptTraces(3));
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMillis(1));
      node.tell(Address.parse("probe/r" + i), bytes("put:k=v"));
    }
    List<TraceSummary> recent = node.tracing().recent(10);
    assertThat(recent).hasSize(3);
    assertThat(recent)
        .extracting(t -> spansOf(t.traceId()).getFirst().actor().id())
        .containsExactly("r4", "r3", "r2");
    assertThat(node.tracing().recent(2)).hasSize(2);
    assertThat(exported).as("the sink still gets every span").hasSize(5);
  }

  @Test
  void withTracingOffMessagesCarryNoContextAndNothingIsKept() {
    node.close();
    List<TurnRecord> turns = new CopyOnWriteArrayList<>();
    node = Mayfly.builder().synchronous(true).clock(clock).turnListener(turns::add).build();
    node.deploy("probe", Probe.WASM);
    node.tell(Address.parse("probe/a"), bytes("send:probe/b=put:k=v"), CALLER);

    assertThat(node.tracing().enabled()).isFalse();
    assertThat(node.tracing().recent(10)).isEmpty();
    assertThat(turns).hasSize(2);
    assertThat(turns.get(1).message().trace())
        .as("what a turn sends carries no context while tracing is off")
        .isNull();
  }
}
