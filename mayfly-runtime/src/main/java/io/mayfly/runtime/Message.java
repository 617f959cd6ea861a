package io.mayfly.runtime;

/**
 * A message on its way to an actor: one record per {@link MessageKind}. Payloads are not copied:
 * never modify them after sending.
 */
public sealed interface Message
    permits Message.Tell,
        Message.Ask,
        Message.Reply,
        Message.Timer,
        Message.Publication,
        Message.Expire {
  /** The actor it is for. */
  Address target();

  /** What it is. */
  MessageKind kind();

  /** Its bytes. */
  byte[] payload();

  /** The sending actor, or {@code null} for messages from outside or from the runtime. */
  default Address sender() {
    return null;
  }

  /** REPLY: the asker's correlation id; TIMER: the timer id; otherwise 0. */
  default long correlationId() {
    return 0;
  }

  /** REPLY: how the ask ended; otherwise {@link ReplyStatus#OK}. */
  default ReplyStatus replyStatus() {
    return ReplyStatus.OK;
  }

  /** PUBLICATION: the topic; otherwise {@code null}. */
  default String topic() {
    return null;
  }

  /**
   * The trace the message belongs to, with the span that sent it; {@code null} while tracing is
   * off, or when the sender had none.
   */
  default TraceContext trace() {
    return null;
  }

  /** A one-way message. */
  record Tell(Address target, byte[] payload, Address sender, TraceContext trace)
      implements Message {
    /** A tell outside any trace. */
    public Tell(Address target, byte[] payload, Address sender) {
      this(target, payload, sender, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.TELL;
    }
  }

  /**
   * A request; its answer goes to {@code request}, wherever the actor runs.
   *
   * @param request where the answer goes
   */
  record Ask(Address target, byte[] payload, Address sender, RequestRef request, TraceContext trace)
      implements Message {
    /** An ask outside any trace. */
    public Ask(Address target, byte[] payload, Address sender, RequestRef request) {
      this(target, payload, sender, request, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.ASK;
    }
  }

  /** The answer to an ask this actor made, matched by its correlation id. */
  record Reply(
      Address target,
      byte[] payload,
      Address sender,
      long correlationId,
      ReplyStatus replyStatus,
      TraceContext trace)
      implements Message {
    /** A reply outside any trace. */
    public Reply(
        Address target,
        byte[] payload,
        Address sender,
        long correlationId,
        ReplyStatus replyStatus) {
      this(target, payload, sender, correlationId, replyStatus, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.REPLY;
    }
  }

  /** A timer the actor set for itself fired. */
  record Timer(Address target, long timerId, byte[] payload, TraceContext trace)
      implements Message {
    /** A timer outside any trace. */
    public Timer(Address target, long timerId, byte[] payload) {
      this(target, timerId, payload, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.TIMER;
    }

    @Override
    public long correlationId() {
      return timerId;
    }
  }

  /** A publication on a topic the actor (or its type) subscribes to. */
  record Publication(
      Address target, String topic, byte[] payload, Address sender, TraceContext trace)
      implements Message {
    /** A publication outside any trace. */
    public Publication(Address target, String topic, byte[] payload, Address sender) {
      this(target, topic, payload, sender, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.PUBLICATION;
    }
  }

  /**
   * The last turn before the actor's state is dropped (only for modules with an expiry handler).
   */
  record Expire(Address target) implements Message {
    private static final byte[] EMPTY = new byte[0];

    @Override
    public MessageKind kind() {
      return MessageKind.EXPIRE;
    }

    @Override
    public byte[] payload() {
      return EMPTY;
    }
  }
}
