package io.mayfly.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Message;
import java.io.IOException;

/**
 * A message for an actor another member owns, an answer for a request another member holds, or the
 * confirmation that a message an actor of another member sent was handled, on its way there as a
 * task of the members' routing executor. It runs on that executor's thread on the receiving member
 * (never on a partition thread) and only hands its content to the member's node, which queues it;
 * turns run on the node's workers.
 */
final class Routed implements Runnable, IdentifiedDataSerializable, HazelcastInstanceAware {
  static final int CLASS_ID = 1;

  Message message;
  Answer answer;

  /** A confirmation: the actor whose message was handled, and the message's id. */
  Address sender;

  String messageId;
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

  static Routed confirmation(Address sender, String messageId) {
    var r = new Routed();
    r.sender = sender;
    r.messageId = messageId;
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
              System.Logger.Level.WARNING, () -> "dropped " + what() + ": this member has no node");
      return;
    }
    try {
      if (message != null) {
        member.receive(message);
      } else if (answer != null) {
        member.receive(answer);
      } else {
        member.confirm(sender, messageId);
      }
    } catch (RuntimeException e) {
      // Never back over the wire: the sender does not wait for this task, and Hazelcast would carry
      // the exception back by Java serialization, which members refuse for Mayfly's classes.
      member.undelivered();
      System.getLogger(Routed.class.getName())
          .log(System.Logger.Level.WARNING, "could not deliver " + what() + ": " + e, e);
    }
  }

  private String what() {
    return message != null
        ? message.kind() + " to " + message.target()
        : answer != null
            ? "answer to " + answer.request()
            : "confirmation of " + messageId + " to " + sender;
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
