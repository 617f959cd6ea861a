package io.mayfly.runtime;

/**
 * A message on its way to an actor: one record per {@link MessageKind}. Payloads are not copied:
 * never modify them after sending.
 *
 * <p>Tells, asks and publications may carry an {@linkplain #id() id}, an idempotency key: the
 * receiving actor handles a message with a given id once within the node's idempotency window, and
 * remembers it (with an ask's reply) in its state, so a sender may retry without doubling the
 * effect.
 */
public sealed interface Message
    permits Message.Tell,
        Message.ConfirmedTell,
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
   * The message's id (idempotency key) for TELL, ASK and PUBLICATION, or {@code null}: the receiver
   * handles a message with a given id once within the idempotency window.
   */
  default String id() {
    return null;
  }

  /** The most characters of a message id. */
  int MAX_ID_LENGTH = 128;

  /**
   * Checks a message id: 1 to {@value #MAX_ID_LENGTH} printable ASCII characters (0x21 to 0x7E, no
   * space), such as a UUID.
   *
   * @return {@code id}
   * @throws InvalidIdempotencyKeyException naming what is wrong with it
   */
  static String checkId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new InvalidIdempotencyKeyException(
          "an idempotency key must be 1-"
              + MAX_ID_LENGTH
              + " characters, was "
              + (id == null ? "null" : id.length() + " characters"));
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidIdempotencyKeyException(
            "an idempotency key must be printable ASCII without spaces, found "
                + String.format("U+%04X", (int) c)
                + " at index "
                + i
                + " (after '"
                + id.substring(0, i)
                + "')");
      }
    }
    return id;
  }

  /**
   * The trace the message belongs to, with the span that sent it; {@code null} while tracing is
   * off, or when the sender had none.
   */
  default TraceContext trace() {
    return null;
  }

  /**
   * A one-way message.
   *
   * @param id its idempotency key, or {@code null}
   * @param trace its trace, or {@code null}
   */
  record Tell(Address target, byte[] payload, Address sender, String id, TraceContext trace)
      implements Message {
    /** Checks the id, if any. */
    public Tell {
      if (id != null) {
        checkId(id);
      }
    }

    /** A tell with an id, outside any trace. */
    public Tell(Address target, byte[] payload, Address sender, String id) {
      this(target, payload, sender, id, null);
    }

    /** A tell without an id, in a trace. */
    public Tell(Address target, byte[] payload, Address sender, TraceContext trace) {
      this(target, payload, sender, null, trace);
    }

    /** A tell without an id, outside any trace. */
    public Tell(Address target, byte[] payload, Address sender) {
      this(target, payload, sender, null, null);
    }

    @Override
    public MessageKind kind() {
      return MessageKind.TELL;
    }
  }

  /**
   * A one-way message from outside whose sender waits to hear that it was handled: the actor sees a
   * {@linkplain MessageKind#TELL tell}, and once its turn committed and released its outputs
   * (behind the output gate) the node answers {@code request} with an empty OK; a failed turn
   * answers it FAILED. A plain {@link Tell} carries no request, so it costs nothing of this.
   *
   * @param request where the confirmation goes
   * @param id its idempotency key, or {@code null}
   * @param trace its trace, or {@code null}
   */
  record ConfirmedTell(
      Address target, byte[] payload, RequestRef request, String id, TraceContext trace)
      implements Message {
    /** Checks the request and the id, if any. */
    public ConfirmedTell {
      if (request == null) {
        throw new InvalidConfigException("a confirmed tell needs a request to confirm");
      }
      if (id != null) {
        checkId(id);
      }
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
   * @param id its idempotency key, or {@code null}
   * @param trace its trace, or {@code null}
   */
  record Ask(
      Address target,
      byte[] payload,
      Address sender,
      RequestRef request,
      String id,
      TraceContext trace)
      implements Message {
    /** Checks the id, if any. */
    public Ask {
      if (id != null) {
        checkId(id);
      }
    }

    /** An ask with an id, outside any trace. */
    public Ask(Address target, byte[] payload, Address sender, RequestRef request, String id) {
      this(target, payload, sender, request, id, null);
    }

    /** An ask without an id, in a trace. */
    public Ask(
        Address target, byte[] payload, Address sender, RequestRef request, TraceContext trace) {
      this(target, payload, sender, request, null, trace);
    }

    /** An ask without an id, outside any trace. */
    public Ask(Address target, byte[] payload, Address sender, RequestRef request) {
      this(target, payload, sender, request, null, null);
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

  /**
   * A publication on a topic the actor (or its type) subscribes to.
   *
   * @param id its idempotency key, or {@code null}
   * @param trace its trace, or {@code null}
   */
  record Publication(
      Address target, String topic, byte[] payload, Address sender, String id, TraceContext trace)
      implements Message {
    /** Checks the id, if any. */
    public Publication {
      if (id != null) {
        checkId(id);
      }
    }

    /** A publication with an id, outside any trace. */
    public Publication(Address target, String topic, byte[] payload, Address sender, String id) {
      this(target, topic, payload, sender, id, null);
    }

    /** A publication without an id, in a trace. */
    public Publication(
        Address target, String topic, byte[] payload, Address sender, TraceContext trace) {
      this(target, topic, payload, sender, null, trace);
    }

    /** A publication without an id, outside any trace. */
    public Publication(Address target, String topic, byte[] payload, Address sender) {
      this(target, topic, payload, sender, null, null);
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
