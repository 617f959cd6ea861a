package io.mayfly.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The node's {@link Recorder}: one {@link TypeRecording} per type, created with the type's first
 * deploy and kept across redeploys. Exports {@code mayfly_recorder_turns}, {@code
 * mayfly_recorder_bytes} and {@code mayfly_recorder_dropped_total}.
 */
final class TurnRecorder implements Recorder {
  private final NodeConfig config;
  private final ConcurrentHashMap<String, TypeRecording> byType = new ConcurrentHashMap<>();

  TurnRecorder(NodeConfig config) {
    this.config = config;
    MeterRegistry meters = config.meterRegistry();
    if (meters != null) {
      gauge(meters, "mayfly.recorder.turns", "turns kept by the recorder", TypeRecording::size);
      Gauge.builder("mayfly.recorder.bytes", this, r -> r.sum(TypeRecording::bytes))
          .description("estimated bytes of the turns kept by the recorder")
          .baseUnit("bytes")
          .register(meters);
      FunctionCounter.builder("mayfly.recorder.dropped", this, r -> r.sum(TypeRecording::dropped))
          .description("recorded turns dropped to stay within the recorder's bounds")
          .register(meters);
    }
  }

  private void gauge(
      MeterRegistry meters, String name, String description, ToLongFunction<TypeRecording> f) {
    Gauge.builder(name, this, r -> r.sum(f)).description(description).register(meters);
  }

  private long sum(ToLongFunction<TypeRecording> f) {
    long n = 0;
    for (TypeRecording r : byType.values()) {
      n += f.applyAsLong(r);
    }
    return n;
  }

  /** The recording of {@code type}, created at its deploy and forgotten at its undeploy. */
  TypeRecording forType(String type) {
    return byType.computeIfAbsent(type, t -> new TypeRecording(t, config));
  }

  /** Forgets an undeployed type. */
  void forget(String type) {
    byType.remove(type);
  }

  private TypeRecording deployed(String type) {
    TypeRecording r = byType.get(type);
    if (r == null) {
      throw new UnknownActorTypeException("actor type '" + type + "' is not deployed");
    }
    return r;
  }

  @Override
  public void start(String type) {
    deployed(type).startType();
  }

  @Override
  public void start(Address actor) {
    deployed(actor.type()).startActor(actor);
  }

  @Override
  public void stop(String type) {
    TypeRecording r = byType.get(type);
    if (r != null) {
      r.stopType();
    }
  }

  @Override
  public void stop(Address actor) {
    TypeRecording r = byType.get(actor.type());
    if (r != null) {
      r.stopActor(actor);
    }
  }

  @Override
  public boolean isRecording(Address actor) {
    TypeRecording r = byType.get(actor.type());
    return r != null && r.active && r.wants(actor);
  }

  @Override
  public List<TurnRecord> recorded(String type) {
    TypeRecording r = byType.get(type);
    return r == null ? List.of() : r.turns(null);
  }

  @Override
  public List<TurnRecord> recorded(Address actor) {
    TypeRecording r = byType.get(actor.type());
    return r == null ? List.of() : r.turns(actor);
  }

  @Override
  public Optional<byte[]> module(String sha256) {
    for (TypeRecording r : byType.values()) {
      byte[] m = r.module(sha256);
      if (m != null) {
        return Optional.of(m.clone());
      }
    }
    return Optional.empty();
  }

  @Override
  public void clear(String type) {
    TypeRecording r = byType.get(type);
    if (r != null) {
      r.clear();
    }
  }

  @Override
  public List<Status> status() {
    var out = new ArrayList<Status>();
    for (TypeRecording r : byType.values()) {
      Status s = r.status();
      if (s.wholeType() || !s.actors().isEmpty() || s.turns() > 0 || s.dropped() > 0) {
        out.add(s);
      }
    }
    out.sort(java.util.Comparator.comparing(Status::type));
    return out;
  }
}
