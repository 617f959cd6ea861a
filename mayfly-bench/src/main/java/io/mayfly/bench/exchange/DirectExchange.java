package io.mayfly.bench.exchange;

import io.mayfly.bench.exchange.Invocation.Sent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical limit: the same Wasm functions, each output array handed to the next invocation
 * directly, on the caller's thread, with no store, no queue and no thread hand-off. The only copies
 * are into and out of guest memory. The 10 workers of a fan-out run one after the other on the
 * caller's thread (with several requests in flight, the callers keep the cores busy).
 */
final class DirectExchange implements Exchange {
  private final Functions functions;

  DirectExchange(Functions functions) {
    this.functions = functions;
  }

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public byte[] run(Shape shape, byte[] request) {
    return switch (shape) {
      case CHAIN -> chain(request);
      case FAN_OUT -> fanOut(request);
    };
  }

  private byte[] chain(byte[] request) {
    Invocation step = functions.stage(1, Invocation.ASK, request);
    while (step.reply() == null) {
      step = functions.nextStage(step.onlySent());
    }
    return step.reply();
  }

  private byte[] fanOut(byte[] request) {
    Map<String, byte[]> state = new HashMap<>();
    List<Sent> asks = functions.scatter(request, state).sent();
    List<byte[]> replies = new ArrayList<>(asks.size());
    for (Sent ask : asks) {
      replies.add(functions.work(ask, ask.message()));
    }
    return functions.gather(asks, replies, state);
  }

  @Override
  public void close() {}
}
