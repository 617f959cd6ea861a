package io.mayfly.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.NodeConfig;
import io.mayfly.runtime.NodeStats;
import io.mayfly.runtime.Recorder;
import io.mayfly.runtime.Subscription;
import io.mayfly.runtime.TopicListener;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Tracing;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeInfo;
import io.mayfly.wasm.MayflyException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node a member hands out: the member's own node, with deploys, undeploys and shared data
 * applied to every member. A deploy is first made here, so a bad module is refused to its caller
 * with the embedded node's typed error; the module and its configuration then go into the cluster
 * map {@value #TYPES}, and each other member compiles and deploys it locally. Shared data goes
 * through the map {@value #SHARED} the same way. A member that joins deploys every type and puts
 * every shared entry of those maps before it serves.
 *
 * <p>Map events arrive on Hazelcast's event threads; they only queue the change for this member's
 * one applying thread, which compiles, so compiling never holds a Hazelcast thread.
 */
final class ClusterNode implements Mayfly {
  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());

  /** The cluster map of deployed types: module and configuration by type name. */
  static final String TYPES = "mayfly.types";

  /** The cluster map of shared data. */
  static final String SHARED = "mayfly.shared";

  /** A deployed type as the cluster keeps it. */
  record Deployment(byte[] module, TypeConfig config) {}

  private final Mayfly local;
  private final IMap<String, Deployment> types;
  private final IMap<String, byte[]> shared;
  private final ExecutorService applying =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("mayfly-apply").factory());

  ClusterNode(Mayfly local, IMap<String, Deployment> types, IMap<String, byte[]> shared) {
    this.local = local;
    this.types = types;
    this.shared = shared;
  }

  /** Follows the cluster's types and shared data from now on, starting with what is there. */
  void follow() {
    types.addEntryListener(new TypeChanges(), true);
    shared.addEntryListener(new SharedChanges(), true);
    for (var e : types.entrySet()) {
      apply(() -> deployHere(e.getKey(), e.getValue()));
    }
    for (var e : shared.entrySet()) {
      apply(() -> local.putSharedData(e.getKey(), e.getValue()));
    }
    // Serves only once what was there is applied: wait for the applying thread to get this far.
    try {
      applying.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new ClusterException("applying the cluster's types failed", e);
    }
  }

  private void apply(Runnable change) {
    applying.execute(
        () -> {
          try {
            change.run();
          } catch (MayflyException e) {
            LOG.log(System.Logger.Level.ERROR, "a cluster-wide change failed here", e);
          }
        });
  }

  private void deployHere(String type, Deployment d) {
    local.deploy(type, d.module(), d.config());
  }

  private final class TypeChanges
      implements EntryAddedListener<String, Deployment>,
          EntryUpdatedListener<String, Deployment>,
          EntryRemovedListener<String, Deployment> {
    @Override
    public void entryAdded(EntryEvent<String, Deployment> event) {
      if (!event.getMember().localMember()) {
        apply(() -> deployHere(event.getKey(), event.getValue()));
      }
    }

    @Override
    public void entryUpdated(EntryEvent<String, Deployment> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, Deployment> event) {
      if (!event.getMember().localMember()) {
        apply(() -> local.undeploy(event.getKey()));
      }
    }
  }

  private final class SharedChanges
      implements EntryAddedListener<String, byte[]>,
          EntryUpdatedListener<String, byte[]>,
          EntryRemovedListener<String, byte[]> {
    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
      if (!event.getMember().localMember()) {
        apply(() -> local.putSharedData(event.getKey(), event.getValue()));
      }
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
      if (!event.getMember().localMember()) {
        apply(() -> local.removeSharedData(event.getKey()));
      }
    }
  }

  // ---- cluster-wide -------------------------------------------------------------------------

  @Override
  public TypeInfo deploy(String type, byte[] module, TypeConfig config) {
    TypeInfo info = local.deploy(type, module, config);
    types.set(type, new Deployment(module.clone(), config));
    return info;
  }

  @Override
  public boolean undeploy(String type) {
    boolean existed = local.undeploy(type);
    return types.remove(type) != null || existed;
  }

  @Override
  public void putSharedData(String key, byte[] value) {
    local.putSharedData(key, value);
    shared.set(key, value.clone());
  }

  @Override
  public boolean removeSharedData(String key) {
    boolean existed = local.removeSharedData(key);
    return shared.remove(key) != null || existed;
  }

  @Override
  public void close() {
    applying.shutdownNow();
    local.close();
  }

  // ---- this member's node -------------------------------------------------------------------

  @Override
  public List<TypeInfo> types() {
    return local.types();
  }

  @Override
  public Optional<TypeInfo> type(String type) {
    return local.type(type);
  }

  @Override
  public void tell(Address to, byte[] payload, String idempotencyKey, TraceContext trace) {
    local.tell(to, payload, idempotencyKey, trace);
  }

  @Override
  public CompletionStage<Void> tellConfirmed(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace) {
    return local.tellConfirmed(to, payload, timeout, idempotencyKey, trace);
  }

  @Override
  public CompletionStage<byte[]> ask(
      Address to, byte[] payload, Duration timeout, String idempotencyKey, TraceContext trace) {
    return local.ask(to, payload, timeout, idempotencyKey, trace);
  }

  @Override
  public Tracing tracing() {
    return local.tracing();
  }

  @Override
  public List<io.mayfly.runtime.TypeStats> typeStats() {
    return local.typeStats();
  }

  @Override
  public void publish(String topic, byte[] payload, TraceContext trace) {
    local.publish(topic, payload, trace);
  }

  @Override
  public Subscription subscribe(String filter, TopicListener listener) {
    return local.subscribe(filter, listener);
  }

  @Override
  public Optional<ActorSnapshot> state(Address address) {
    return local.state(address);
  }

  @Override
  public List<Address> actors(String type, int offset, int limit) {
    return local.actors(type, offset, limit);
  }

  @Override
  public void deliver(Message message) {
    local.deliver(message);
  }

  @Override
  public void deliver(Answer answer) {
    local.deliver(answer);
  }

  @Override
  public void confirm(Address sender, String messageId) {
    local.confirm(sender, messageId);
  }

  @Override
  public void deliverPublication(
      String topic, byte[] payload, Address publisher, TraceContext trace) {
    local.deliverPublication(topic, payload, publisher, trace);
  }

  @Override
  public Recorder recorder() {
    return local.recorder();
  }

  @Override
  public NodeConfig config() {
    return local.config();
  }

  @Override
  public NodeStats stats() {
    return local.stats();
  }

  @Override
  public List<String> problems() {
    return local.problems();
  }
}
