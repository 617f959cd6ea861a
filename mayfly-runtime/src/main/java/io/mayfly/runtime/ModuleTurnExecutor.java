package io.mayfly.runtime;

import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.TurnEnvironment;
import io.mayfly.wasm.ActorModule;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.ModuleLimits;
import io.mayfly.wasm.Watchdog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link TurnExecutor}: compiles the module once per memory cap it is run with (the cap is part
 * of compiling), instantiates it afresh for every turn and runs the turn as {@link TurnRunner}
 * does, then computes the state the {@link Committer} would store.
 */
final class ModuleTurnExecutor implements TurnExecutor {
  private static final int MAX_MODULE_BYTES = Integer.MAX_VALUE;
  private static final int MAX_FUNCTIONS = Integer.MAX_VALUE;

  private final byte[] bytes;
  private final Map<Integer, ActorModule> byMemoryCap = new HashMap<>();
  private final Watchdog watchdog;
  private final String sha256;

  private ModuleTurnExecutor(byte[] bytes, ActorModule first) {
    this.bytes = bytes;
    this.byMemoryCap.put(first.maxMemoryPages(), first);
    this.sha256 = first.info().sha256();
    this.watchdog = Watchdog.start(Duration.ofMillis(5), Threads.daemon("replay-watchdog"));
  }

  static ModuleTurnExecutor create(byte[] bytes) {
    int pages = TypeConfig.DEFAULTS.maxMemoryPages();
    return new ModuleTurnExecutor(
        bytes.clone(),
        ActorModule.compile(bytes, new ModuleLimits(MAX_MODULE_BYTES, MAX_FUNCTIONS, pages)));
  }

  private synchronized ActorModule module(int pages) {
    return byMemoryCap.computeIfAbsent(
        pages,
        p -> ActorModule.compile(bytes, new ModuleLimits(MAX_MODULE_BYTES, MAX_FUNCTIONS, p)));
  }

  @Override
  public String sha256() {
    return sha256;
  }

  @Override
  public TurnRecord run(
      TypeInfo recorded, Message message, ActorState before, long nowNanos, TurnEnvironment env) {
    TypeConfig config = recorded.config();
    ActorModule module = module(config.maxMemoryPages());
    var type = new TypeInfo(recorded.type(), recorded.version(), module.info(), config);
    var turn = new Turn(env, type, message.target(), message, before, nowNanos, null);
    boolean expiry = message instanceof Message.Expire;
    if (expiry && !module.info().hasExpiryHandler()) {
      return turn.record(before, null); // a node runs no turn: nothing happens
    }
    TurnRecord.Failure failure;
    try (Watchdog.Slot slot = watchdog.register(Thread.currentThread())) {
      slot.arm(config.turnTimeout());
      try {
        GuestInstance guest = module.instantiate();
        failure = TurnRunner.invoke(guest, turn, config);
      } finally {
        slot.disarm();
      }
    }
    ActorState after = failure != null || expiry ? before : turn.newState(config.ttl());
    return turn.record(after, failure);
  }

  @Override
  public void close() {
    watchdog.close();
  }
}
