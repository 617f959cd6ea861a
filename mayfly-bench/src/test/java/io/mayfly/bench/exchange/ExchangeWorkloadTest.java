package io.mayfly.bench.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.bench.suite.Redis;
import io.mayfly.testing.Checkout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * The three implementations of the exchange workload run the same workflows to the same answer,
 * which is also the one the protocol of examples/workflow/README.md defines. Starts a real
 * redis-server on a free loopback port.
 */
class ExchangeWorkloadTest {
  private static final Path WASM = Checkout.path("examples/workflow/wasm");

  private static Redis redis;
  private static MayflyExchange mayfly;
  private static DirectExchange direct;
  private static RedisExchange stored;

  @BeforeAll
  static void start() {
    redis = Redis.start();
    Functions functions = Functions.load(WASM);
    mayfly = new MayflyExchange(WASM);
    direct = new DirectExchange(functions);
    stored = new RedisExchange(functions, redis);
  }

  @AfterAll
  static void stop() {
    stored.close();
    direct.close();
    mayfly.close();
    redis.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(Shape.values())
        .flatMap(shape -> Stream.of(100, 64 * 1024).map(size -> Arguments.of(shape, size)));
  }

  @ParameterizedTest(name = "{0}, {1} bytes")
  @MethodSource("cases")
  void allThreeGiveTheAnswerTheProtocolDefines(Shape shape, int size) {
    var c = new ExchangeWorkload.Case(shape, size);
    byte[] request = c.request();
    byte[] data = Arrays.copyOfRange(request, request.length - size, request.length);
    byte[] expected = shape == Shape.CHAIN ? chained(data) : gathered(data);

    assertThat(mayfly.run(shape, request)).isEqualTo(expected);
    assertThat(direct.run(shape, request)).isEqualTo(expected);
    assertThat(stored.run(shape, request)).isEqualTo(expected);
    assertThat(ExchangeWorkload.agreedAnswer(List.of(mayfly, direct, stored), c, request))
        .isEqualTo(expected);
  }

  @Test
  void anImplementationThatDisagreesFailsTheWorkload() {
    var c = new ExchangeWorkload.Case(Shape.CHAIN, 100);
    Exchange wrong =
        new Exchange() {
          @Override
          public String name() {
            return "wrong";
          }

          @Override
          public byte[] run(Shape shape, byte[] request) {
            byte[] answer = direct.run(shape, request);
            answer[42] ^= 1;
            return answer;
          }

          @Override
          public void close() {}
        };

    assertThatThrownBy(() -> ExchangeWorkload.agreedAnswer(List.of(direct, wrong), c, c.request()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wrong gave another answer")
        .hasMessageContaining("first difference at byte 42");
  }

  @Test
  void theRedisBaselineLeavesNothingInTheStore() {
    for (Shape shape : Shape.values()) {
      stored.run(shape, new ExchangeWorkload.Case(shape, 1024).request());
    }
    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.dbSize()).isZero();
    }
  }

  // ---- the protocol of examples/workflow/README.md, in Java ----

  private static byte[] transform(byte[] data, int k) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = (byte) ((data[i] ^ k) + 1);
    }
    return out;
  }

  private static byte[] chained(byte[] data) {
    byte[] out = data;
    for (int k = 1; k <= Shape.STAGES; k++) {
      out = transform(out, k);
    }
    return out;
  }

  /** The coordinator's complete answer: not partial, every worker OK, the XOR of their results. */
  private static byte[] gathered(byte[] data) {
    ByteBuffer answer =
        ByteBuffer.allocate(16 + data.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0)
            .putInt(Shape.WORKERS)
            .putInt(Shape.WORKERS)
            .putInt(0);
    byte[] acc = new byte[data.length];
    for (int i = 1; i <= Shape.WORKERS; i++) {
      byte[] t = transform(data, i);
      for (int j = 0; j < acc.length; j++) {
        acc[j] ^= t[j];
      }
    }
    return answer.put(acc).array();
  }
}
