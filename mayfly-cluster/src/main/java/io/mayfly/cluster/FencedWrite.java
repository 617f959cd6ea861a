package io.mayfly.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.mayfly.runtime.spi.ActorState;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A commit's write of an actor's state (or its removal) into the replicated map, applied only if
 * the member that wrote it owns the key's partition when the write runs there. It runs on the
 * partition's owner, so "the writer owns the partition" is "the writer is the member it runs on".
 *
 * <p>This is the fence of a member that lost a partition: its view of the partition table lags
 * Hazelcast's (it learns of a migration from events and a periodic check), so for a moment it may
 * still commit a turn of an actor the new owner already loaded. Such a write arrives at the new
 * owner, is refused, and the old owner's commit fails: its outputs never leave, and the new owner's
 * state is not overwritten behind its back. The backups apply what the owner applied, unchecked.
 */
final class FencedWrite
    implements EntryProcessor<String, ActorState, Boolean>,
        IdentifiedDataSerializable,
        HazelcastInstanceAware {
  static final int CLASS_ID = 2;

  private UUID writer;
  private ActorState state;
  private long ttlNanos;
  private boolean backup;
  private transient UUID local;

  /** For deserialization. */
  FencedWrite() {}

  /**
   * @param writer the member that commits
   * @param state the state, or {@code null} to remove the entry
   * @param ttlNanos how long the map keeps it (0: until removed)
   */
  FencedWrite(UUID writer, ActorState state, long ttlNanos) {
    this.writer = writer;
    this.state = state;
    this.ttlNanos = ttlNanos;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.local = instance.getCluster().getLocalMember().getUuid();
  }

  @Override
  public Boolean process(Map.Entry<String, ActorState> entry) {
    if (!backup && !writer.equals(local)) {
      return Boolean.FALSE;
    }
    if (state == null) {
      entry.setValue(null);
    } else {
      ((ExtendedMapEntry<String, ActorState>) entry)
          .setValue(state, ttlNanos, TimeUnit.NANOSECONDS);
    }
    return Boolean.TRUE;
  }

  @Override
  public EntryProcessor<String, ActorState, Boolean> getBackupProcessor() {
    var b = new FencedWrite(writer, state, ttlNanos);
    b.backup = true;
    return b;
  }

  @Override
  public int getFactoryId() {
    return Codec.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return CLASS_ID;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(Codec.FORMAT);
    out.writeLong(writer.getMostSignificantBits());
    out.writeLong(writer.getLeastSignificantBits());
    out.writeObject(state);
    out.writeLong(ttlNanos);
    out.writeBoolean(backup);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    Codec.checkFormat(in.readByte(), "state write");
    writer = new UUID(in.readLong(), in.readLong());
    state = in.readObject();
    ttlNanos = in.readLong();
    backup = in.readBoolean();
  }
}
