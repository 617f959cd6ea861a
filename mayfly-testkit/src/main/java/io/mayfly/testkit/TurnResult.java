package io.mayfly.testkit;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.MessageKind;
import io.mayfly.runtime.TurnRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One turn of the actor under test: the message it handled, the state before and after, and every
 * effect, sorted by kind. A view of the runtime's {@link TurnRecord}, which {@link #record()}
 * returns as is.
 *
 * <p>When the turn failed, {@link #stateAfter()} equals {@link #stateBefore()} and the effects are
 * the ones the runtime discarded: none of them happened.
 */
public final class TurnResult {
  private static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
  private final TurnRecord record;

  TurnResult(TurnRecord record) {
    this.record = record;
  }

  /** The runtime's record of the turn. */
  public TurnRecord record() {
    return record;
  }

  /** The actor that ran the turn. */
  public Address address() {
    return record.address();
  }

  /** The message the turn handled. */
  public Message message() {
    return record.message();
  }

  /** What the message was: TELL, ASK, REPLY, TIMER, PUBLICATION or EXPIRE. */
  public MessageKind kind() {
    return record.message().kind();
  }

  /** The payload the actor received. */
  public byte[] payload() {
    return record.message().payload();
  }

  /** The clock reading the actor saw ({@code now_ms}). */
  public Instant time() {
    return Instant.ofEpochMilli(record.nowMillis());
  }

  /** Whether the turn committed; a failed turn changed nothing. */
  public boolean committed() {
    return record.committed();
  }

  /**
   * Why the turn failed: reason {@code guest_trap}, {@code turn_timeout}, {@code
   * guest_out_of_memory} or {@code guest_error} (a non-zero return); empty when it committed.
   */
  public Optional<TurnRecord.Failure> failure() {
    return Optional.ofNullable(record.failure());
  }

  /** The actor's state entries before the turn. */
  public Map<String, byte[]> stateBefore() {
    return record.stateBefore();
  }

  /**
   * The actor's state entries after the turn. After an expiry turn this is empty: its writes are
   * discarded and its state is dropped.
   */
  public Map<String, byte[]> stateAfter() {
    return kind() == MessageKind.EXPIRE ? Map.of() : record.stateAfter();
  }

  /** The keys this turn added, changed and removed. */
  public StateDiff stateDiff() {
    return StateDiff.between(stateBefore(), stateAfter());
  }

  /** Every effect, in the order the actor produced them. */
  public List<Effect> effects() {
    return record.effects();
  }

  /** Messages it sent to other actors (or to itself). */
  public List<Effect.Send> sends() {
    return effects(Effect.Send.class);
  }

  /** Requests it made; answer one with {@link ActorTestKit#answer(Effect.Ask, byte[])}. */
  public List<Effect.Ask> asks() {
    return effects(Effect.Ask.class);
  }

  /** Every answer it gave: to the ask it handled and to deferred requests. */
  public List<Effect.Reply> replies() {
    return effects(Effect.Reply.class);
  }

  /** Its answer to the ask this turn handled; empty for other turns or when it did not answer. */
  public Optional<byte[]> reply() {
    if (!(message() instanceof Message.Ask ask)) {
      return Optional.empty();
    }
    return replies().stream()
        .filter(r -> r.request().equals(ask.request()))
        .map(Effect.Reply::payload)
        .findFirst();
  }

  /** {@link #reply()} decoded as UTF-8. */
  public Optional<String> replyUtf8() {
    return reply().map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** What it published. */
  public List<Effect.Publish> publications() {
    return effects(Effect.Publish.class);
  }

  /** Timers it set. */
  public List<Effect.SetTimer> timersSet() {
    return effects(Effect.SetTimer.class);
  }

  /** Timers it cancelled. */
  public List<Effect.CancelTimer> timersCancelled() {
    return effects(Effect.CancelTimer.class);
  }

  /** Topic filters it subscribed to. */
  public List<Effect.Subscribe> subscriptions() {
    return effects(Effect.Subscribe.class);
  }

  /** Topic filters it unsubscribed from. */
  public List<Effect.Unsubscribe> unsubscriptions() {
    return effects(Effect.Unsubscribe.class);
  }

  /** Its log lines. */
  public List<Effect.Log> logs() {
    return effects(Effect.Log.class);
  }

  private <T extends Effect> List<T> effects(Class<T> type) {
    var out = new ArrayList<T>();
    for (Effect e : record.effects()) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return List.copyOf(out);
  }

  /** The turn as a reader wants it in a failed test: message, outcome, state diff, effects. */
  @Override
  public String toString() {
    var out = new StringBuilder();
    Message m = message();
    out.append(kind()).append(" to ").append(address());
    if (m.sender() != null) {
      out.append(" from ").append(m.sender());
    }
    if (m.topic() != null) {
      out.append(" on ").append(m.topic());
    }
    if (kind() == MessageKind.REPLY) {
      out.append(" (correlation ").append(m.correlationId()).append(", ").append(m.replyStatus());
      out.append(')');
    } else if (kind() == MessageKind.TIMER) {
      out.append(" (timer ").append(m.correlationId()).append(')');
    }
    out.append(": ").append(Bytes.show(m.payload())).append(" at ").append(time());
    out.append(committed() ? "\n  committed" : "\n  FAILED " + record.failure());
    for (String line : stateDiff().toString().split("\n")) {
      out.append("\n  ").append(line);
    }
    for (Effect e : effects()) {
      out.append("\n  ").append(describe(e));
    }
    return out.toString();
  }

  private static String describe(Effect e) {
    return switch (e) {
      case Effect.Send s -> "send " + s.to() + " " + Bytes.show(s.payload());
      case Effect.Ask a ->
          "ask "
              + a.to()
              + " "
              + Bytes.show(a.payload())
              + " (correlation "
              + a.correlationId()
              + ", timeout "
              + a.timeout()
              + ")";
      case Effect.Reply r -> "reply " + Bytes.show(r.payload()) + " (request " + r.request() + ")";
      case Effect.Publish p -> "publish " + p.topic() + " " + Bytes.show(p.payload());
      case Effect.SetTimer t ->
          "set timer " + t.timerId() + " in " + t.delay() + " " + Bytes.show(t.payload());
      case Effect.CancelTimer c -> "cancel timer " + c.timerId();
      case Effect.Subscribe s -> "subscribe " + s.filter();
      case Effect.Unsubscribe u -> "unsubscribe " + u.filter();
      case Effect.Log l -> "log " + LEVELS[Math.clamp(l.level(), 0, 4)] + " " + l.text();
    };
  }
}
