package io.mayfly.bench.exchange;

import io.mayfly.bench.exchange.Invocation.Sent;
import io.mayfly.bench.suite.Redis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * The stateless baseline: the same Wasm functions, invoked as a serverless platform with an
 * external store would, where every hand-off and the coordinator's state go through a real Redis
 * server. Each request gets its own keys, and every value is deleted once consumed.
 *
 * <ul>
 *   <li>Chain: the client SETs its request; the invoker of each stage GETs (and deletes) its input,
 *       runs the stage and SETs the message for the next stage; the last stage's answer is SET and
 *       the client GETs it: 6 SETs and 6 GETs of the payload.
 *   <li>Fan-out: the client SETs its request; the coordinator's invoker GETs it and the
 *       coordinator's state (a hash), runs the coordinator, stores its state, and stores the
 *       payload it scatters once (the 10 asks differ only in their 8-byte header, which travels in
 *       the worker's invocation). The 10 worker invocations run concurrently on a pool of 10
 *       threads (one function instance per worker, as a platform would scale them out); each GETs
 *       the payload, runs the worker and SETs its result. The fan-in invocation GETs the state and
 *       the 10 results, runs the coordinator on each reply, deletes the workflow's keys and SETs
 *       the answer, which the client GETs.
 * </ul>
 *
 * The baseline pays for the store and nothing else: invocations cost no dispatch, no container, no
 * HTTP, and the fan-in reads the state once for all 10 replies instead of once per reply.
 */
final class RedisExchange implements Exchange {
  private static final int HEADER = 8;

  private final Functions functions;
  private final Redis redis;
  private final ExecutorService workers;
  private final ThreadLocal<Jedis> connection;
  private final ConcurrentLinkedQueue<Jedis> connections = new ConcurrentLinkedQueue<>();
  private final AtomicLong requests = new AtomicLong();

  RedisExchange(Functions functions, Redis redis) {
    this.functions = functions;
    this.redis = redis;
    this.workers =
        Executors.newFixedThreadPool(Shape.WORKERS, Thread.ofPlatform().daemon().factory());
    this.connection = ThreadLocal.withInitial(this::connect);
  }

  private Jedis connect() {
    Jedis jedis = redis.connect();
    connections.add(jedis);
    return jedis;
  }

  @Override
  public String name() {
    return "Redis";
  }

  @Override
  public byte[] run(Shape shape, byte[] request) {
    Keys keys = new Keys(requests.incrementAndGet());
    return switch (shape) {
      case CHAIN -> chain(keys, request);
      case FAN_OUT -> fanOut(keys, request);
    };
  }

  private byte[] chain(Keys keys, byte[] request) {
    Jedis store = connection.get();
    byte[] key = keys.of("stage/1");
    store.set(key, request);
    Invocation step = functions.stage(1, Invocation.ASK, store.getDel(key));
    while (step.reply() == null) {
      Sent next = step.onlySent();
      key = keys.of(next.address());
      store.set(key, next.message());
      step = functions.nextStage(new Sent(next.address(), store.getDel(key), 0));
    }
    return answer(store, keys, step.reply());
  }

  private byte[] fanOut(Keys keys, byte[] request) {
    Jedis store = connection.get();
    byte[] in = keys.of("in");
    byte[] stateKey = keys.of("state");
    store.set(in, request);
    Map<String, byte[]> state = load(store, stateKey);
    List<Sent> asks = functions.scatter(store.getDel(in), state).sent();
    store.hset(stateKey, encode(state));

    byte[] payloadKey = keys.of("payload");
    store.set(payloadKey, sharedPayload(asks));
    var results = new ArrayList<CompletableFuture<Void>>(asks.size());
    byte[][] resultKeys = new byte[asks.size()][];
    for (int i = 0; i < asks.size(); i++) {
      Sent ask = asks.get(i);
      byte[] resultKey = keys.of("result/" + ask.address());
      resultKeys[i] = resultKey;
      results.add(CompletableFuture.runAsync(() -> work(ask, payloadKey, resultKey), workers));
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

    state = load(store, stateKey);
    byte[] answer = functions.gather(asks, store.mget(resultKeys), state);
    byte[][] done = Arrays.copyOf(resultKeys, resultKeys.length + 2);
    done[resultKeys.length] = stateKey;
    done[resultKeys.length + 1] = payloadKey;
    store.del(done);
    return answer(store, keys, answer);
  }

  /** One worker invocation: its header from the ask, the payload from the store. */
  private void work(Sent ask, byte[] payloadKey, byte[] resultKey) {
    Jedis store = connection.get();
    byte[] payload = store.get(payloadKey);
    byte[] message = Arrays.copyOf(ask.message(), HEADER + payload.length);
    System.arraycopy(payload, 0, message, HEADER, payload.length);
    store.set(resultKey, functions.work(ask, message));
  }

  /** The bytes after the header, which every ask of a fan-out carries alike. */
  private static byte[] sharedPayload(List<Sent> asks) {
    byte[] first = asks.getFirst().message();
    for (Sent ask : asks) {
      byte[] m = ask.message();
      if (m.length != first.length
          || !Arrays.equals(m, HEADER, m.length, first, HEADER, first.length)) {
        throw new IllegalStateException(
            "the coordinator's asks differ beyond their " + HEADER + "-byte header");
      }
    }
    return Arrays.copyOfRange(first, HEADER, first.length);
  }

  private static byte[] answer(Jedis store, Keys keys, byte[] answer) {
    byte[] key = keys.of("answer");
    store.set(key, answer);
    return store.getDel(key);
  }

  private static Map<String, byte[]> load(Jedis store, byte[] key) {
    Map<String, byte[]> state = new HashMap<>();
    store.hgetAll(key).forEach((k, v) -> state.put(new String(k, StandardCharsets.UTF_8), v));
    return state;
  }

  private static Map<byte[], byte[]> encode(Map<String, byte[]> state) {
    Map<byte[], byte[]> hash = new HashMap<>();
    state.forEach((k, v) -> hash.put(k.getBytes(StandardCharsets.UTF_8), v));
    return hash;
  }

  /** The keys of one request. */
  private record Keys(long request) {
    byte[] of(String name) {
      return ("x:" + request + ":" + name).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    Jedis jedis;
    while ((jedis = connections.poll()) != null) {
      jedis.close();
    }
  }
}
