package io.mayfly.runtime;

import io.mayfly.wasm.ActorModule;
import io.mayfly.wasm.GuestInstance;
import io.mayfly.wasm.InstancePool;
import io.mayfly.wasm.MayflyException;
import io.mayfly.wasm.ModuleLimits;
import io.mayfly.wasm.TurnTimeoutException;
import io.mayfly.wasm.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The deployed types: compiles modules off the caller's thread within the compile timeout, runs
 * their start code under the turn deadline, and keeps one {@link TypeVersion} per type. A redeploy
 * replaces the version; turns already running finish on the old one.
 */
final class TypeRegistry {
  private static final System.Logger LOG = System.getLogger(TypeRegistry.class.getName());

  /**
   * A deployed version of a type: its compiled module and its bytes, instance pool, counters and
   * recording (the last two kept across versions).
   */
  record TypeVersion(
      TypeInfo info,
      ActorModule module,
      byte[] bytes,
      InstancePool pool,
      TypeCounters counters,
      TypeRecording recording) {
    TypeConfig config() {
      return info.config();
    }

    String type() {
      return info.type();
    }
  }

  private final NodeConfig config;
  private final Watchdog watchdog;
  private final NodeMetrics metrics;
  private final TurnRecorder recorder;
  private final ConcurrentHashMap<String, TypeVersion> types = new ConcurrentHashMap<>();
  private final ExecutorService compiler =
      Executors.newThreadPerTaskExecutor(Threads.daemon("compiler"));
  private final Object deployLock = new Object();

  /** Deploys and undeploys so far: workers let go of instances of old versions when it moves. */
  private volatile int epoch;

  TypeRegistry(NodeConfig config, Watchdog watchdog, NodeMetrics metrics, TurnRecorder recorder) {
    this.config = config;
    this.recorder = recorder;
    this.watchdog = watchdog;
    this.metrics = metrics;
  }

  /** The current version of {@code type}, or {@code null}. */
  TypeVersion get(String type) {
    return types.get(type);
  }

  /** The current version of {@code type}. */
  TypeVersion require(String type) {
    TypeVersion tv = types.get(type);
    if (tv == null) {
      throw new UnknownActorTypeException("actor type '" + type + "' is not deployed");
    }
    return tv;
  }

  /** How many types are deployed. */
  int size() {
    return types.size();
  }

  int epoch() {
    return epoch;
  }

  List<TypeInfo> infos() {
    return types.values().stream().map(TypeVersion::info).toList();
  }

  Optional<TypeInfo> info(String type) {
    return Optional.ofNullable(types.get(type)).map(TypeVersion::info);
  }

  /** Compiles and installs a module as the next version of {@code type}. */
  TypeVersion deploy(String type, byte[] module, TypeConfig typeConfig) {
    Address.checkType(type);
    var limits =
        new ModuleLimits(
            config.maxModuleBytes(), config.maxFunctions(), typeConfig.maxMemoryPages());
    Compiled c = compileWithin(type, module, limits, typeConfig.turnTimeout());
    synchronized (deployLock) {
      TypeVersion old = types.get(type);
      int version = old == null ? 1 : old.info().version() + 1;
      var info = new TypeInfo(type, version, c.module.info(), typeConfig);
      var pool = InstancePool.create(c.module, Math.max(2, config.workers()));
      pool.release(c.probe);
      TypeCounters counters = old != null ? old.counters() : metrics.countersFor(type);
      var tv = new TypeVersion(info, c.module, module, pool, counters, recorder.forType(type));
      types.put(type, tv);
      if (old != null) {
        old.pool().clear();
      }
      epoch++;
      LOG.log(
          System.Logger.Level.INFO,
          "deployed "
              + type
              + " v"
              + version
              + " ("
              + c.module.info().sizeBytes()
              + " bytes, sha256 "
              + c.module.info().sha256()
              + ")");
      return tv;
    }
  }

  /** Removes {@code type}; returns its last version, or {@code null} if it was not deployed. */
  TypeVersion undeploy(String type) {
    TypeVersion old;
    synchronized (deployLock) {
      old = types.remove(type);
      epoch++;
    }
    if (old != null) {
      old.pool().clear();
      metrics.removeCounters(type);
      recorder.forget(type);
    }
    return old;
  }

  void close() {
    compiler.shutdownNow();
    types.values().forEach(tv -> tv.pool().clear());
  }

  private record Compiled(ActorModule module, GuestInstance probe) {}

  private Compiled compileWithin(String type, byte[] module, ModuleLimits limits, Duration start) {
    Future<Compiled> compiled = compiler.submit(() -> compile(module, limits, start));
    try {
      return compiled.get(config.compileTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      compiled.cancel(true);
      throw new DeployException(
          "compiling the module for type '"
              + type
              + "' took longer than "
              + Durations.format(config.compileTimeout())
              + "; the module is too large or complex for this node");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MayflyException m) {
        throw m;
      }
      throw new DeployException(
          "compiling the module for type '" + type + "' failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while deploying type '" + type + "'", e);
    }
  }

  private Compiled compile(byte[] bytes, ModuleLimits limits, Duration startDeadline) {
    ActorModule module = ActorModule.compile(bytes, limits);
    try (Watchdog.Slot slot = watchdog.register(Thread.currentThread())) {
      slot.arm(startDeadline);
      try {
        return new Compiled(module, module.probe());
      } catch (TurnTimeoutException e) {
        throw new TurnTimeoutException(
            "the module's start code did not finish within the turn deadline of "
                + Durations.format(startDeadline),
            e);
      } finally {
        slot.disarm();
      }
    }
  }
}
