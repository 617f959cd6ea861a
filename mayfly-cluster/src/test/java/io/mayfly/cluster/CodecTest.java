package io.mayfly.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.FailureReason;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.RequestRef;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.HandledMessage;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every message kind, answer and state survives the trip through the codec unchanged. */
class CodecTest {
  private static final InternalSerializationService SERIALIZATION = serialization();

  private static InternalSerializationService serialization() {
    var config = new SerializationConfig();
    Codec.register(config);
    return new DefaultSerializationServiceBuilder().setConfig(config).build();
  }

  @SuppressWarnings("unchecked")
  private static <T> T trip(T value) {
    return (T) SERIALIZATION.toObject(SERIALIZATION.toData(value));
  }

  private static Message tripped(Message m) {
    return trip(Routed.of(m)).message;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyMessageKindComesBackEqualWithItsIdAndTrace() {
    qt().withExamples(200)
        .withFixedSeed(11L)
        .forAll(
            strings().allPossible().ofLengthBetween(0, 40),
            longs().between(1, Long.MAX_VALUE),
            integers().between(0, 6))
        .checkAssert(
            (text, id, kind) -> {
              Address target = Address.parse("probe/a" + (id % 1000));
              Address sender = id % 2 == 0 ? null : Address.parse("other/x-" + (id % 7));
              byte[] payload = bytes(text);
              String key = id % 3 == 0 ? null : "key-" + id;
              TraceContext trace =
                  id % 4 == 0
                      ? null
                      : new TraceContext(
                          String.format("%032x", id),
                          String.format("%016x", id),
                          id % 5 != 0,
                          id % 6 == 0 ? "vendor=" + id : null);
              Message m =
                  switch (kind) {
                    case 0 -> new Message.Tell(target, payload, sender, key, trace);
                    case 1 ->
                        new Message.Ask(
                            target, payload, sender, new RequestRef("m1", id), key, trace);
                    case 2 ->
                        new Message.Reply(
                            target,
                            payload,
                            sender,
                            id,
                            ReplyStatus.values()[(int) (id % 4)],
                            trace);
                    case 3 -> new Message.Timer(target, id, payload, trace);
                    case 4 ->
                        new Message.Publication(
                            target, "alerts/" + (id % 9), payload, sender, key, trace);
                    case 5 ->
                        new Message.ConfirmedTell(
                            target, payload, new RequestRef("m2", id), key, trace);
                    default -> new Message.Expire(target);
                  };
              Message back = tripped(m);
              assertThat(back).isInstanceOf(m.getClass()); // a confirmed tell stays confirmed
              assertThat(back).usingRecursiveComparison().isEqualTo(m);
            });
  }

  @Test
  void answersKeepTheirStatusAndReason() {
    var request = new RequestRef("node-2", 42);
    Address from = Address.parse("probe/x");
    for (Answer a :
        new Answer[] {
          Answer.ok(request, from, bytes("pong")),
          Answer.failed(request, from, FailureReason.GUEST_TRAP, "trapped"),
          new Answer(request, null, ReplyStatus.TIMEOUT, new byte[0], null),
          Answer.ok(request, from, bytes("traced"), TraceContext.newTrace())
        }) {
      assertThat(trip(Routed.of(a)).answer).usingRecursiveComparison().isEqualTo(a);
    }
  }

  @Test
  void aStateComesBackWithEntriesTtlsTimersSubscriptionsHandledIdsAndItsOutbox() {
    qt().withExamples(100)
        .withFixedSeed(12L)
        .forAll(
            // Keys are decoded from the guest's UTF-8, so they never hold a lone surrogate.
            strings().betweenCodePoints(1, 0xD7FF).ofLengthBetween(1, 20),
            longs().between(0, Long.MAX_VALUE),
            integers().between(0, 4))
        .checkAssert(
            (key, at, policy) -> {
              ActorState s =
                  ActorState.of(
                      Map.of(
                          key,
                          new StateEntry(bytes(key + "v"), TtlPolicy.ofCode(policy), at % 1000, at),
                          "plain",
                          new StateEntry(bytes("1"), TtlPolicy.DEFAULT, 0, Long.MAX_VALUE)),
                      policy == 0 ? null : Ttl.afterAccess(Duration.ofSeconds(1 + policy)),
                      at,
                      Map.of(7L, new PendingTimer(7, at, bytes("tick"))),
                      Set.of("sensors/+/t", key),
                      Map.of(
                          "order-1",
                          new HandledMessage(at, HandledMessage.Outcome.REPLIED, bytes("ok"), at),
                          "order-2",
                          new HandledMessage(~at, HandledMessage.Outcome.TOLD, null, at + 1)),
                      Map.of(
                          "~o.1",
                          new OutboxMessage(
                              "~o.1",
                              Address.parse("next/" + (at % 9)),
                              false,
                              bytes(key),
                              0,
                              0,
                              null,
                              at),
                          "~o.2",
                          new OutboxMessage(
                              "~o.2",
                              Address.parse("stage/b"),
                              true,
                              bytes("q"),
                              at,
                              1_000_000_000L + policy,
                              TraceContext.newTrace(),
                              at + 1)));
              ActorState back = trip(s);
              assertThat(back).usingRecursiveComparison().isEqualTo(s);
              assertThat(back.weight()).isEqualTo(s.weight());
            });
  }

  @Test
  void aConfirmationComesBackWithItsSenderAndMessageId() {
    Routed back = trip(Routed.confirmation(Address.parse("stage/a-7"), "~o.00ff"));
    assertThat(back.message).isNull();
    assertThat(back.answer).isNull();
    assertThat(back.sender).isEqualTo(Address.parse("stage/a-7"));
    assertThat(back.messageId).isEqualTo("~o.00ff");
  }

  @Test
  void aDeployedTypeComesBackWithItsModuleAndEveryTypeSetting() {
    var config =
        io.mayfly.runtime.TypeConfig.builder()
            .ttl(Ttl.atDeadline(Duration.ofMinutes(3)))
            .mailboxCapacity(17)
            .turnTimeout(Duration.ofMillis(250))
            .askTimeout(Duration.ofSeconds(9))
            .maxMessageBytes(1000)
            .maxStateBytes(2000)
            .maxMemoryPages(12)
            .maxEffectsPerTurn(33)
            .subscribe("sensors/+/t", "{1}")
            .build();
    var d = new ClusterNode.Deployment(bytes("\0asm module"), config);
    ClusterNode.Deployment back = trip(d);
    assertThat(back.module()).isEqualTo(d.module());
    assertThat(back.config()).isEqualTo(config);
  }

  @Test
  void aFormFromAnotherVersionIsRefusedByName() {
    var data = SERIALIZATION.toData(Routed.of(new Message.Expire(Address.parse("probe/a"))));
    byte[] raw = data.toByteArray();
    // The codec's form byte follows Hazelcast's header, the factory and class ids and the flag.
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == Codec.FORMAT && raw[i + 1] == 5) { // FORMAT, then the EXPIRE kind
        raw[i] = 9;
        break;
      }
    }
    var forged = new com.hazelcast.internal.serialization.impl.HeapData(raw);
    assertThatThrownBy(() -> SERIALIZATION.toObject(forged))
        .hasMessageContaining("form 9")
        .hasMessageContaining("run one Mayfly version in a cluster");
  }
}
