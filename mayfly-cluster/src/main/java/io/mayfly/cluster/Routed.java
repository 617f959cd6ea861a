package io.mayfly.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Message;
import java.io.IOException;

/**
 * A message for an actor another member owns, or an answer for a request another member holds, on
 * its way there as a task of the members' routing executor. It runs on that executor's thread on
 * the receiving member (never on a partition thread) and only hands its content to the member's
 * node, which queues it; turns run on the node's workers.
 */
final class Routed implements Runnable, IdentifiedDataSerializable, HazelcastInstanceAware {
  static final int CLASS_ID = 1;

  Message message;
  Answer answer;
  private transient HazelcastInstance instance;

  /** For deserialization. */
  Routed() {}

  static Routed of(Message message) {
    var r = new Routed();
    r.message = message;
    return r;
  }

  static Routed of(Answer answer) {
    var r = new Routed();
    r.answer = answer;
    return r;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.instance = instance;
  }

  @Override
  public void run() {
    HazelcastMember member = HazelcastMember.of(instance);
    if (member == null) {
      // Only while the member is being torn down: its node is gone, and so is what it held.
      System.getLogger(Routed.class.getName())
          .log(
              System.Logger.Level.WARNING,
              () ->
                  "dropped "
                      + (message != null
                          ? message.kind() + " to " + message.target()
                          : "answer to " + answer.request())
                      + ": this member has no node");
      return;
    }
    if (message != null) {
      member.receive(message);
    } else {
      member.receive(answer);
    }
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
    Codec.write(out, this);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    Codec.read(in, this);
  }
}
