package io.mayfly.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.testing.Checkout;
import io.mayfly.testing.Wat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite: the actor of testdata/conformance/SPEC.md, implemented in every guest
 * language, must behave identically. The WAT source is the reference and is compiled here; the
 * other languages are the committed builds in testdata/conformance/wasm (built by
 * testdata/conformance/build.sh), so the test needs no guest toolchain.
 */
class ConformanceTest {
  private static final Path DIR = Checkout.path("testdata/conformance");
  private static final Address SELF = Address.parse("conformance/a");
  private static final Address PEER = Address.parse("peer/b");
  private static final TypeConfig CONFIG =
      TypeConfig.builder().ttl(Ttl.afterWrite(Duration.ofMinutes(10))).build();

  private static byte[] reference() {
    try {
      return Wat.compile(Files.readString(DIR.resolve("wat/conformance.wat")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> implementations() throws IOException {
    List<Arguments> found = new ArrayList<>();
    found.add(Arguments.of("wat-source", reference()));
    try (Stream<Path> files = Files.list(DIR.resolve("wasm"))) {
      files
          .filter(p -> p.getFileName().toString().matches("conformance-.+\\.wasm"))
          .sorted()
          .forEach(p -> found.add(Arguments.of(language(p), Guests.read(p))));
    }
    return found.stream();
  }

  private static String language(Path wasm) {
    String name = wasm.getFileName().toString();
    return name.substring("conformance-".length(), name.length() - ".wasm".length());
  }

  @Test
  void everyLanguageOfTheSpecHasACommittedBuild() throws IOException {
    assertThat(implementations().map(a -> (String) a.get()[0]))
        .contains("wat-source", "c", "rust", "assemblyscript");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void behavesExactlyLikeTheReference(String language, byte[] module) {
    List<String> expected = new Script(reference()).run();
    List<String> actual = new Script(module).run();
    writeTranscript(language, actual);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertThat(actual.get(i)).as("%s, step %d", language, i).isEqualTo(expected.get(i));
    }
    assertThat(actual).as(language).hasSameSizeAs(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void replayingEveryTurnOfTheScriptReproducesItExactly(String language, byte[] module) {
    var script = new Script(module);
    script.run();
    assertThat(script.turns).as(language).hasSizeGreaterThanOrEqualTo(40);
    // Through the file format and back: the recording carries everything a replay needs.
    Recording recording = Recording.parse(Recording.of(script.turns).toJson());
    List<TurnComparison> replayed = recording.replay(module);
    assertThat(replayed).hasSameSizeAs(script.turns);
    for (TurnComparison c : replayed) {
      assertThat(c.differences()).as("%s:%n%s", language, c).isEmpty();
    }
  }

  @Test
  void replayingAgainstChangedCodeShowsWhatItWouldHaveDoneInstead() throws IOException {
    var script = new Script(reference());
    script.run();
    byte[] renamed =
        Wat.compile(
            Files.readString(DIR.resolve("wat/conformance.wat"))
                .replace("(data (i32.const 0) \"n\")", "(data (i32.const 0) \"m\")"));
    TurnRecord count =
        script.turns.stream()
            .filter(t -> new String(t.message().payload(), UTF_8).equals("C"))
            .findFirst()
            .orElseThrow();
    TurnComparison c = Replay.compare(count, renamed);
    assertThat(c.reproduced()).isFalse();
    assertThat(c.differences())
        .singleElement()
        .asString()
        .startsWith("state after")
        .contains("+ m = ")
        .contains("- n");
    assertThat(c.replayed().stateAfter()).containsKey("m").doesNotContainKey("n");
    assertThat(c.recorded().stateAfter()).containsKey("n");
    TurnRecord echo =
        script.turns.stream()
            .filter(t -> new String(t.message().payload(), UTF_8).equals("Ehello"))
            .findFirst()
            .orElseThrow();
    assertThat(Replay.compare(echo, renamed).reproduced()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void followsTheSpec(String language, byte[] module) {
    try (ActorTestKit kit = kit(module)) {
      // echo
      assertThat(kit.ask("Ehello").replyUtf8()).contains("Ehello");
      // counter; a trap and an application error roll their turn back
      kit.tell("C");
      kit.tell("C");
      assertThat(kit.ask("C").reply()).hasValue(u32(2));
      TurnResult trap = kit.tell("!");
      assertThat(trap.failure().orElseThrow().reason().code()).isEqualTo("guest_trap");
      assertThat(trap.stateDiff().isEmpty()).isTrue();
      assertThat(kit.tell("F").committed()).isFalse();
      assertThat(kit.state("n")).hasValue(u32(2));
      // per-key TTL
      kit.tell(cmd('K', i64(100), "tmp"));
      assertThat(kit.state()).containsKey("tmp");
      kit.advance(Duration.ofMillis(100));
      assertThat(kit.state()).doesNotContainKey("tmp");
      // ask chain: the other side is played here
      Effect.Ask ask = kit.tell("Qpeer/b").asks().getFirst();
      assertThat(ask.to()).isEqualTo(PEER);
      assertThat(ask.payload()).isEqualTo(utf8("Eping"));
      TurnResult reply = kit.answer(ask, "Eping");
      assertThat(reply.kind()).isEqualTo(MessageKind.REPLY);
      assertThat(kit.state("reply"))
          .hasValue(concat(new byte[] {0}, i64(ask.correlationId()), utf8("Eping")));
      // publish/subscribe
      kit.tell("Snews/#");
      assertThat(kit.publish("news/x", "n1")).hasSize(1);
      assertThat(kit.state("pub")).hasValue(utf8("news/x n1"));
      kit.tell("Unews/#");
      assertThat(kit.publish("news/y", "n2")).isEmpty();
      assertThat(kit.tell("Pout/t").publications().getFirst().topic()).isEqualTo("out/t");
      // timer
      kit.tell(cmd('M', i64(50), "tick"));
      List<TurnResult> fired = kit.advance(Duration.ofMillis(50));
      assertThat(fired).singleElement().extracting(TurnResult::kind).isEqualTo(MessageKind.TIMER);
      // shared data
      assertThat(kit.ask("Gmodel").failure()).isPresent();
      kit.putSharedData("model", utf8("weights"));
      assertThat(kit.ask("Gmodel").replyUtf8()).contains("weights");
      // deferred reply
      AskResult deferred = kit.ask("H");
      assertThat(deferred.pending()).isTrue();
      kit.tell("Rlater");
      assertThat(deferred.replyUtf8()).contains("later");
      // error codes
      kit.tell("Y");
      assertThat(kit.state("probe"))
          .hasValue(new byte[] {-2, -6, -6, -1, -1, 0, 0, 0, -4, -4, -8, -1, 0, 0, -6, -6});
      // expiry turn after the actor's own TTL
      kit.tell(cmd('A', i64(1000), ""));
      List<TurnResult> expired = kit.advance(Duration.ofSeconds(1));
      assertThat(expired)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.kind()).isEqualTo(MessageKind.EXPIRE);
                assertThat(t.publications().getFirst().topic()).isEqualTo("expired/a");
                assertThat(t.publications().getFirst().payload()).isEqualTo(u32(2));
              });
      assertThat(kit.state()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void freesWhatTheHostAllocatesEveryTurn(String language, byte[] module) {
    // 300 echoes of 64 KiB would need about 19 MiB if the guest kept the payloads: far more
    // than the 2 MiB this type allows.
    TypeConfig small = CONFIG.toBuilder().maxMemoryPages(32).build();
    byte[] big = new byte[64 * 1024];
    big[0] = 'E';
    try (ActorTestKit kit = ActorTestKit.builder(module).address(SELF).config(small).build()) {
      for (int i = 0; i < 300; i++) {
        kit.tell(cmd('K', i64(60_000), "key" + (i % 8)));
        assertThat(kit.ask(big).reply()).as("%s, turn %d", language, i).hasValue(big);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implementations")
  void asksAnotherActorOfItsTypeOnARealNode(String language, byte[] module) {
    Address b = Address.parse("conformance/b");
    try (Mayfly node = Mayfly.builder().synchronous(true).clock(ManualClock.create()).build()) {
      node.deploy("conformance", module, CONFIG);
      node.tell(SELF, utf8("Q" + b));

      Map<String, ActorSnapshot.Entry> a = node.state(SELF).orElseThrow().entries();
      byte[] corr = a.get("corr").value();
      assertThat(a.get("reply").value()).isEqualTo(concat(new byte[] {0}, corr, utf8("Eping")));
      assertThat(node.state(b)).as("the echo left no state in %s", b).isEmpty();
    }
  }

  /** Leaves the transcript in target/conformance/ for a reader comparing two languages. */
  private static void writeTranscript(String language, List<String> lines) {
    try {
      Path file = Path.of("target/conformance", language + ".txt");
      Files.createDirectories(file.getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ActorTestKit kit(byte[] module) {
    return ActorTestKit.builder(module)
        .address(SELF)
        .config(CONFIG)
        .startingAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  /** Runs the whole script of SPEC.md and renders everything observable, one entry a step. */
  private static final class Script {
    private final byte[] module;
    private final List<String> out = new ArrayList<>();
    private List<TurnRecord> turns = List.of();
    private ActorTestKit kit;

    Script(byte[] module) {
      this.module = module;
    }

    List<String> run() {
      try (ActorTestKit k = kit(module)) {
        kit = k;
        ask("Ehello");
        ask("E");
        tell("C");
        tell("C");
        ask("C");
        tell("!");
        tell("F");
        ask("C");
        tell("Lhello log");
        tell(cmd('K', i64(100), "tmp"));
        advance(Duration.ofMillis(99));
        advance(Duration.ofMillis(1));
        Effect.Ask first = tell("Qpeer/b").asks().getFirst();
        record("answer", kit.answer(first, "Eping"));
        tell("Qpeer/b");
        advance(Duration.ofSeconds(1)); // the second ask times out
        Effect.Ask third = tell("Qpeer/b").asks().getFirst();
        record("answer failed", kit.answer(third, ReplyStatus.FAILED, utf8("boom")));
        tell("Snews/#");
        publish("news/x", "n1");
        tell("Unews/#");
        publish("news/y", "n2");
        tell("Pout/t");
        tell(cmd('M', i64(50), "tick"));
        advance(Duration.ofMillis(50));
        tell(cmd('M', i64(50), "tock"));
        tell("X");
        advance(Duration.ofMillis(100));
        tell("X");
        ask("Gmodel");
        kit.putSharedData("model", utf8("weights"));
        ask("Gmodel");
        record("tellFrom", kit.tellFrom(Address.parse("peer/c"), utf8("I")));
        ask("I");
        AskResult deferred = ask("H");
        tell("Rlater");
        out.add("deferred ask: " + outcome(deferred));
        tell("Rnobody");
        tell("Dinfo");
        tell("Y");
        tell("");
        tell("?");
        tell(cmd('A', i64(1000), ""));
        advance(Duration.ofMillis(999));
        state();
        advance(Duration.ofMillis(1));
        state();
        tell("C");
        tell("Z");
        state();
        turns = kit.turns().stream().map(TurnResult::record).toList();
        return out;
      }
    }

    private TurnResult tell(String payload) {
      return tell(utf8(payload));
    }

    private TurnResult tell(byte[] payload) {
      TurnResult t = kit.tell(payload);
      record("tell", t);
      return t;
    }

    private AskResult ask(String payload) {
      AskResult a = kit.ask(payload);
      record("ask", a.turn());
      out.add("  -> " + outcome(a));
      return a;
    }

    /** The ask's outcome; a failure by its type, since a trap's message names compiled code. */
    private static String outcome(AskResult a) {
      if (a.pending()) {
        return "pending";
      }
      return a.reply()
          .map(r -> "replied " + Bytes.show(r))
          .orElseGet(() -> "failed " + a.failure().orElseThrow().getClass().getSimpleName());
    }

    private void publish(String topic, String payload) {
      List<TurnResult> turns = kit.publish(topic, payload);
      out.add("publish " + topic + ": " + turns.size() + " turn(s)");
      turns.forEach(t -> record("publication", t));
    }

    private void advance(Duration d) {
      List<TurnResult> turns = kit.advance(d);
      out.add("advance " + d + ": " + turns.size() + " turn(s)");
      turns.forEach(t -> record("fired", t));
      state();
    }

    private void state() {
      Map<String, String> shown = new TreeMap<>();
      kit.state().forEach((k, v) -> shown.put(k, Bytes.show(v)));
      out.add("state " + shown);
    }

    private void record(String step, TurnResult t) {
      String failure =
          t.failure().map(f -> "FAILED " + f.reason().code() + ": " + application(f)).orElse("");
      String text = t.toString().replaceFirst("\n  FAILED [^\n]*", "\n  " + failure);
      out.add(step + ": " + text);
    }

    /** The failure message, except for traps, whose text depends on the compiler's code. */
    private static String application(io.mayfly.runtime.TurnRecord.Failure f) {
      return f.reason() == io.mayfly.runtime.FailureReason.GUEST_TRAP ? "" : f.message();
    }
  }

  private static byte[] cmd(char c, byte[] number, String rest) {
    return concat(new byte[] {(byte) c}, number, utf8(rest));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] u32(int v) {
    return Guests.u32(v);
  }

  private static byte[] i64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Stream.of(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
