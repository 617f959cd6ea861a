package io.mayfly.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.FailureReason;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.RequestRef;
import io.mayfly.runtime.TraceContext;
import io.mayfly.runtime.Ttl;
import io.mayfly.runtime.TtlPolicy;
import io.mayfly.runtime.TypeConfig;
import io.mayfly.runtime.TypeSubscription;
import io.mayfly.runtime.spi.ActorState;
import io.mayfly.runtime.spi.HandledMessage;
import io.mayfly.runtime.spi.OutboxMessage;
import io.mayfly.runtime.spi.PendingTimer;
import io.mayfly.runtime.spi.StateEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every byte Mayfly sends between members: the one place where {@link Message}, {@link Answer},
 * {@link ActorState}, deployed types ({@link ClusterNode.Deployment}) and publications ({@link
 * Published}) are written and read, so that a new component of a message or a state is added here
 * and nowhere else. The forms are versioned by a leading byte ({@value #FORMAT}); a member rejects
 * a form it does not know with a {@link ClusterException} rather than misreading it.
 *
 * <p>Enumerations are written by their stable codes (the ABI's message kind, reply status and TTL
 * policy codes; failure reasons by name), never by Java ordinals of types that may grow.
 */
final class Codec {
  /** The version of every form this class writes. */
  static final byte FORMAT = 3;

  /**
   * The kind byte of a {@link Message.ConfirmedTell}, which its actor sees as a tell: outside the
   * ABI's message kinds, so that a member that does not know it rejects it.
   */
  static final byte CONFIRMED_TELL = 0x40;

  /** Hazelcast's id of Mayfly's data-serializable factory (the {@link Routed} tasks). */
  static final int FACTORY_ID = 0x4d46;

  /** Hazelcast's type id of the {@link ActorState} serializer. */
  static final int STATE_TYPE_ID = 0x4d46_0001;

  /** Hazelcast's type id of the {@link ClusterNode.Deployment} serializer. */
  static final int DEPLOYMENT_TYPE_ID = 0x4d46_0002;

  /** Hazelcast's type id of the {@link Published} serializer. */
  static final int PUBLISHED_TYPE_ID = 0x4d46_0010;

  private Codec() {}

  /** Registers Mayfly's serializers in a member's configuration. */
  static void register(SerializationConfig config) {
    config.addDataSerializableFactory(
        FACTORY_ID,
        id ->
            switch (id) {
              case Routed.CLASS_ID -> new Routed();
              case FencedWrite.CLASS_ID -> new FencedWrite();
              default ->
                  throw new ClusterException("unknown routed form " + id + " from another member");
            });
    config.addSerializerConfig(
        new SerializerConfig().setTypeClass(ActorState.class).setImplementation(new States()));
    config.addSerializerConfig(
        new SerializerConfig()
            .setTypeClass(ClusterNode.Deployment.class)
            .setImplementation(new Deployments()));
    config.addSerializerConfig(
        new SerializerConfig().setTypeClass(Published.class).setImplementation(new Publications()));
  }

  // ---- messages -----------------------------------------------------------------------------

  static void write(ObjectDataOutput out, Message m) throws IOException {
    out.writeByte(FORMAT);
    out.writeByte(m instanceof Message.ConfirmedTell ? CONFIRMED_TELL : m.kind().code());
    writeAddress(out, m.target());
    switch (m) {
      case Message.Tell t -> {
        out.writeByteArray(t.payload());
        writeAddress(out, t.sender());
        out.writeString(t.id());
        writeTrace(out, t.trace());
      }
      case Message.ConfirmedTell t -> {
        out.writeByteArray(t.payload());
        writeRequest(out, t.request());
        out.writeString(t.id());
        writeTrace(out, t.trace());
      }
      case Message.Ask a -> {
        out.writeByteArray(a.payload());
        writeAddress(out, a.sender());
        writeRequest(out, a.request());
        out.writeString(a.id());
        writeTrace(out, a.trace());
      }
      case Message.Reply r -> {
        out.writeByteArray(r.payload());
        writeAddress(out, r.sender());
        out.writeLong(r.correlationId());
        out.writeByte(r.replyStatus().code());
        writeTrace(out, r.trace());
      }
      case Message.Timer t -> {
        out.writeLong(t.timerId());
        out.writeByteArray(t.payload());
        writeTrace(out, t.trace());
      }
      case Message.Publication p -> {
        out.writeString(p.topic());
        out.writeByteArray(p.payload());
        writeAddress(out, p.sender());
        out.writeString(p.id());
        writeTrace(out, p.trace());
      }
      case Message.Expire e -> {
        // the target is all it has
      }
    }
  }

  static Message readMessage(ObjectDataInput in) throws IOException {
    checkFormat(in.readByte(), "message");
    int kind = in.readByte();
    Address target = readAddress(in);
    if (kind == MessageKind.TELL.code()) {
      return new Message.Tell(target, bytes(in), readAddress(in), in.readString(), readTrace(in));
    } else if (kind == CONFIRMED_TELL) {
      return new Message.ConfirmedTell(
          target, bytes(in), readRequest(in), in.readString(), readTrace(in));
    } else if (kind == MessageKind.ASK.code()) {
      return new Message.Ask(
          target, bytes(in), readAddress(in), readRequest(in), in.readString(), readTrace(in));
    } else if (kind == MessageKind.REPLY.code()) {
      byte[] payload = bytes(in);
      Address sender = readAddress(in);
      long correlation = in.readLong();
      ReplyStatus status = replyStatus(in.readByte());
      return new Message.Reply(target, payload, sender, correlation, status, readTrace(in));
    } else if (kind == MessageKind.TIMER.code()) {
      long id = in.readLong();
      return new Message.Timer(target, id, bytes(in), readTrace(in));
    } else if (kind == MessageKind.PUBLICATION.code()) {
      String topic = in.readString();
      return new Message.Publication(
          target, topic, bytes(in), readAddress(in), in.readString(), readTrace(in));
    } else if (kind == MessageKind.EXPIRE.code()) {
      return new Message.Expire(target);
    }
    throw new ClusterException("unknown message kind " + kind + " from another member");
  }

  // ---- answers ------------------------------------------------------------------------------

  static void write(ObjectDataOutput out, Answer a) throws IOException {
    out.writeByte(FORMAT);
    writeRequest(out, a.request());
    writeAddress(out, a.from());
    out.writeByte(a.status().code());
    out.writeByteArray(a.payload());
    out.writeString(a.reason() == null ? null : a.reason().code());
    writeTrace(out, a.trace());
  }

  /** A trace context as its W3C {@code traceparent} and {@code tracestate}, or two nulls. */
  private static void writeTrace(ObjectDataOutput out, TraceContext t) throws IOException {
    out.writeString(t == null ? null : t.traceparent());
    out.writeString(t == null ? null : t.traceState());
  }

  private static TraceContext readTrace(ObjectDataInput in) throws IOException {
    String traceparent = in.readString();
    String tracestate = in.readString();
    return TraceContext.parse(traceparent, tracestate);
  }

  static Answer readAnswer(ObjectDataInput in) throws IOException {
    checkFormat(in.readByte(), "answer");
    RequestRef request = readRequest(in);
    Address from = readAddress(in);
    ReplyStatus status = replyStatus(in.readByte());
    byte[] payload = bytes(in);
    String reason = in.readString();
    FailureReason failed = reason == null ? null : failure(reason);
    return new Answer(request, from, status, payload, failed, readTrace(in));
  }

  static void write(ObjectDataOutput out, Published p) throws IOException {
    out.writeByte(FORMAT);
    out.writeString(p.topic());
    out.writeByteArray(p.payload());
    writeAddress(out, p.publisher());
    writeTrace(out, p.trace());
  }

  static Published readPublished(ObjectDataInput in) throws IOException {
    checkFormat(in.readByte(), "publication");
    return new Published(in.readString(), bytes(in), readAddress(in), readTrace(in));
  }

  // ---- state --------------------------------------------------------------------------------

  static void write(ObjectDataOutput out, ActorState s) throws IOException {
    out.writeByte(FORMAT);
    out.writeInt(s.entries().size());
    for (var e : s.entries().entrySet()) {
      StateEntry entry = e.getValue();
      out.writeString(e.getKey());
      out.writeByteArray(entry.value());
      out.writeByte(entry.policy().code());
      out.writeLong(entry.ttlNanos());
      out.writeLong(entry.expiresAtNanos());
    }
    Ttl ttl = s.ttlOverride();
    out.writeByte(ttl == null ? -1 : ttl.policy().code());
    if (ttl != null) {
      out.writeLong(ttl.duration().toNanos());
    }
    out.writeLong(s.expiresAtNanos());
    out.writeInt(s.timers().size());
    for (PendingTimer t : s.timers().values()) {
      out.writeLong(t.id());
      out.writeLong(t.dueNanos());
      out.writeByteArray(t.payload());
    }
    out.writeInt(s.subscriptions().size());
    for (String filter : s.subscriptions()) {
      out.writeString(filter);
    }
    out.writeInt(s.handled().size());
    for (var e : s.handled().entrySet()) {
      HandledMessage h = e.getValue();
      out.writeString(e.getKey());
      out.writeLong(h.fingerprint());
      out.writeString(h.outcome().name());
      out.writeByteArray(h.reply());
      out.writeLong(h.expiresAtNanos());
    }
    out.writeInt(s.outbox().size());
    for (OutboxMessage o : s.outbox().values()) {
      out.writeString(o.id());
      writeAddress(out, o.to());
      out.writeBoolean(o.ask());
      out.writeByteArray(o.payload());
      out.writeLong(o.correlationId());
      out.writeLong(o.timeoutNanos());
      writeTrace(out, o.trace());
      out.writeLong(o.expiresAtNanos());
    }
  }

  static ActorState readState(ObjectDataInput in) throws IOException {
    checkFormat(in.readByte(), "actor state");
    int entryCount = in.readInt();
    Map<String, StateEntry> entries = HashMap.newHashMap(entryCount);
    for (int i = 0; i < entryCount; i++) {
      String key = in.readString();
      byte[] value = bytes(in);
      TtlPolicy policy = policy(in.readByte());
      entries.put(key, new StateEntry(value, policy, in.readLong(), in.readLong()));
    }
    int ttlCode = in.readByte();
    Ttl ttl = ttlCode < 0 ? null : new Ttl(policy(ttlCode), Duration.ofNanos(in.readLong()));
    long expiresAt = in.readLong();
    int timerCount = in.readInt();
    Map<Long, PendingTimer> timers = HashMap.newHashMap(timerCount);
    for (int i = 0; i < timerCount; i++) {
      long id = in.readLong();
      timers.put(id, new PendingTimer(id, in.readLong(), bytes(in)));
    }
    int subscriptionCount = in.readInt();
    Set<String> subscriptions = HashSet.newHashSet(subscriptionCount);
    for (int i = 0; i < subscriptionCount; i++) {
      subscriptions.add(in.readString());
    }
    int handledCount = in.readInt();
    Map<String, HandledMessage> handled = HashMap.newHashMap(handledCount);
    for (int i = 0; i < handledCount; i++) {
      String id = in.readString();
      long fingerprint = in.readLong();
      HandledMessage.Outcome outcome = outcome(in.readString());
      byte[] reply = in.readByteArray();
      handled.put(id, new HandledMessage(fingerprint, outcome, reply, in.readLong()));
    }
    int outboxCount = in.readInt();
    Map<String, OutboxMessage> outbox = HashMap.newHashMap(outboxCount);
    for (int i = 0; i < outboxCount; i++) {
      String id = in.readString();
      Address to = readAddress(in);
      boolean ask = in.readBoolean();
      byte[] payload = bytes(in);
      long correlationId = in.readLong();
      long timeout = in.readLong();
      TraceContext trace = readTrace(in);
      outbox.put(
          id,
          new OutboxMessage(id, to, ask, payload, correlationId, timeout, trace, in.readLong()));
    }
    return ActorState.of(entries, ttl, expiresAt, timers, subscriptions, handled, outbox);
  }

  // ---- deployed types -----------------------------------------------------------------------

  static void write(ObjectDataOutput out, ClusterNode.Deployment d) throws IOException {
    out.writeByte(FORMAT);
    out.writeByteArray(d.module());
    TypeConfig c = d.config();
    out.writeByte(c.ttl().policy().code());
    out.writeLong(c.ttl().duration().toNanos());
    out.writeInt(c.mailboxCapacity());
    out.writeLong(c.turnTimeout().toNanos());
    out.writeLong(c.askTimeout().toNanos());
    out.writeInt(c.maxMessageBytes());
    out.writeInt(c.maxStateBytes());
    out.writeInt(c.maxMemoryPages());
    out.writeInt(c.maxEffectsPerTurn());
    out.writeInt(c.subscriptions().size());
    for (TypeSubscription sub : c.subscriptions()) {
      out.writeString(sub.filter());
      out.writeString(sub.idTemplate());
    }
  }

  static ClusterNode.Deployment readDeployment(ObjectDataInput in) throws IOException {
    checkFormat(in.readByte(), "deployed type");
    byte[] module = bytes(in);
    Ttl ttl = new Ttl(policy(in.readByte()), Duration.ofNanos(in.readLong()));
    int mailbox = in.readInt();
    Duration turnTimeout = Duration.ofNanos(in.readLong());
    Duration askTimeout = Duration.ofNanos(in.readLong());
    int maxMessage = in.readInt();
    int maxState = in.readInt();
    int pages = in.readInt();
    int effects = in.readInt();
    int count = in.readInt();
    var subscriptions = new java.util.ArrayList<TypeSubscription>(count);
    for (int i = 0; i < count; i++) {
      subscriptions.add(new TypeSubscription(in.readString(), in.readString()));
    }
    return new ClusterNode.Deployment(
        module,
        new TypeConfig(
            ttl,
            mailbox,
            turnTimeout,
            askTimeout,
            maxMessage,
            maxState,
            pages,
            effects,
            subscriptions));
  }

  // ---- parts --------------------------------------------------------------------------------

  private static void writeAddress(ObjectDataOutput out, Address a) throws IOException {
    out.writeString(a == null ? null : a.toString());
  }

  private static Address readAddress(ObjectDataInput in) throws IOException {
    String s = in.readString();
    return s == null ? null : Address.parse(s);
  }

  private static void writeRequest(ObjectDataOutput out, RequestRef r) throws IOException {
    out.writeString(r.node());
    out.writeLong(r.id());
  }

  private static RequestRef readRequest(ObjectDataInput in) throws IOException {
    return new RequestRef(in.readString(), in.readLong());
  }

  private static byte[] bytes(ObjectDataInput in) throws IOException {
    byte[] b = in.readByteArray();
    return b == null ? new byte[0] : b;
  }

  private static ReplyStatus replyStatus(int code) {
    for (ReplyStatus s : ReplyStatus.values()) {
      if (s.code() == code) {
        return s;
      }
    }
    throw new ClusterException("unknown reply status " + code + " from another member");
  }

  private static TtlPolicy policy(int code) {
    TtlPolicy p = TtlPolicy.ofCode(code);
    if (p == null) {
      throw new ClusterException("unknown TTL policy " + code + " from another member");
    }
    return p;
  }

  private static HandledMessage.Outcome outcome(String name) {
    for (HandledMessage.Outcome o : HandledMessage.Outcome.values()) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    throw new ClusterException(
        "unknown outcome '" + name + "' of a handled message from another member");
  }

  private static FailureReason failure(String code) {
    FailureReason r = FailureReason.ofCode(code);
    if (r == null) {
      throw new ClusterException("unknown failure reason '" + code + "' from another member");
    }
    return r;
  }

  static void checkFormat(byte format, String what) {
    if (format != FORMAT) {
      throw new ClusterException(
          "a member sent an "
              + what
              + " in form "
              + format
              + ", this member reads form "
              + FORMAT
              + ": run one Mayfly version in a cluster");
    }
  }

  /** Actor states in the cluster's state map. */
  static final class States implements StreamSerializer<ActorState> {
    @Override
    public int getTypeId() {
      return STATE_TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, ActorState state) throws IOException {
      Codec.write(out, state);
    }

    @Override
    public ActorState read(ObjectDataInput in) throws IOException {
      return readState(in);
    }
  }

  /** Deployed types in the cluster's type map. */
  static final class Deployments implements StreamSerializer<ClusterNode.Deployment> {
    @Override
    public int getTypeId() {
      return DEPLOYMENT_TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, ClusterNode.Deployment d) throws IOException {
      Codec.write(out, d);
    }

    @Override
    public ClusterNode.Deployment read(ObjectDataInput in) throws IOException {
      return readDeployment(in);
    }
  }

  /** Publications on the cluster topic. */
  static final class Publications implements StreamSerializer<Published> {
    @Override
    public int getTypeId() {
      return PUBLISHED_TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, Published p) throws IOException {
      Codec.write(out, p);
    }

    @Override
    public Published read(ObjectDataInput in) throws IOException {
      return readPublished(in);
    }
  }

  private static final byte ROUTED_MESSAGE = 0;
  private static final byte ROUTED_ANSWER = 1;
  private static final byte ROUTED_CONFIRMATION = 2;

  /**
   * What the data-serializable form of a {@link Routed} task holds: a message, an answer, or the
   * confirmation of a message an actor sent.
   */
  static void write(ObjectDataOutput out, Routed routed) throws IOException {
    if (routed.message != null) {
      out.writeByte(ROUTED_MESSAGE);
      write(out, routed.message);
    } else if (routed.answer != null) {
      out.writeByte(ROUTED_ANSWER);
      write(out, routed.answer);
    } else {
      out.writeByte(ROUTED_CONFIRMATION);
      out.writeByte(FORMAT);
      writeAddress(out, routed.sender);
      out.writeString(routed.messageId);
    }
  }

  static void read(ObjectDataInput in, Routed routed) throws IOException {
    byte what = in.readByte();
    switch (what) {
      case ROUTED_MESSAGE -> routed.message = readMessage(in);
      case ROUTED_ANSWER -> routed.answer = readAnswer(in);
      case ROUTED_CONFIRMATION -> {
        checkFormat(in.readByte(), "confirmation");
        routed.sender = readAddress(in);
        routed.messageId = in.readString();
      }
      default -> throw new ClusterException("unknown routed form " + what + " from another member");
    }
  }
}
