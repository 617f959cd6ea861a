package io.mayfly.testkit;

import io.mayfly.runtime.ActorSnapshot;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.DeployException;
import io.mayfly.runtime.Effect;
import io.mayfly.runtime.InvalidConfigException;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.ReplyStatus;
import io.mayfly.runtime.TypeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one actor module in isolation, on a clock that moves only when told, and shows every effect
 * of every turn.
 *
 * <p>The kit runs a real Mayfly node in synchronous mode: each call runs the turns it causes on the
 * calling thread before it returns. Only the actor under test is local; what it sends or asks of
 * other actors is captured in the {@link #outbox()} instead of delivered, and the test answers
 * those asks with {@link #answer(Effect.Ask, byte[])}. Messages the actor sends to itself run right
 * after the turn that sent them; {@link #turns()} lists every turn in the order it ran.
 *
 * <pre>{@code
 * try (ActorTestKit kit = ActorTestKit.builder(Path.of("counter.wasm")).address("counter/a").build()) {
 *   TurnResult r = kit.tell("hello");
 *   assertThat(r.stateDiff().added()).containsKey("n");
 *   List<TurnResult> fired = kit.advance(Duration.ofMinutes(11)); // past the TTL: the expiry turn
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use a kit from one test thread.
 */
public interface ActorTestKit extends AutoCloseable {

  /** A kit for a compiled actor module (the bytes of a {@code .wasm} file). */
  static Builder builder(byte[] module) {
    return new Builder(module);
  }

  /**
   * A kit for the actor module in a file.
   *
   * @throws DeployException if the file cannot be read
   */
  static Builder builder(Path module) {
    try {
      return new Builder(Files.readAllBytes(module));
    } catch (IOException e) {
      throw new DeployException("cannot read actor module " + module + ": " + e, e);
    }
  }

  /** The actor under test. */
  Address address();

  /** The kit's clock: where {@link #advance(Duration)} has moved it. */
  Instant now();

  /**
   * Tells the actor a message from outside and runs its turn.
   *
   * @return that turn; turns it caused (messages to itself) are in {@link #turns()}
   * @throws io.mayfly.runtime.MessageTooLargeException if the payload exceeds the type's limit
   */
  TurnResult tell(byte[] payload);

  /** {@link #tell(byte[])} with UTF-8 text. */
  default TurnResult tell(String payload) {
    return tell(payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Tells the actor a message as if another actor sent it: the guest's {@code sender} returns
   * {@code sender}.
   *
   * @throws io.mayfly.runtime.MessageTooLargeException if the payload exceeds the type's limit
   */
  TurnResult tellFrom(Address sender, byte[] payload);

  /** Asks the actor with its type's ask timeout and runs the turn. */
  default AskResult ask(byte[] payload) {
    return ask(payload, null);
  }

  /** {@link #ask(byte[])} with UTF-8 text. */
  default AskResult ask(String payload) {
    return ask(payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Asks the actor and runs the turn. If the actor keeps a reply handle instead of answering, the
   * result stays {@link AskResult#pending()} until a later turn answers or {@code timeout} passes
   * on {@link #advance(Duration)}.
   *
   * @param timeout how long the request waits; {@code null} for the type's ask timeout
   * @throws io.mayfly.runtime.MessageTooLargeException if the payload exceeds the type's limit
   */
  AskResult ask(byte[] payload, Duration timeout);

  /**
   * Publishes on a topic from outside and runs the turns it causes: one if the actor subscribed to
   * a matching filter (or its type's configuration routes the topic to it), none otherwise.
   */
  List<TurnResult> publish(String topic, byte[] payload);

  /** {@link #publish(String, byte[])} with UTF-8 text. */
  default List<TurnResult> publish(String topic, String payload) {
    return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Puts read-only data the actor reads with {@code shared_get}. */
  void putSharedData(String key, byte[] value);

  /** Removes shared data; returns whether it existed. */
  boolean removeSharedData(String key);

  /**
   * Moves the clock forward and runs what became due, in time order: timers, ask timeouts (as REPLY
   * turns with status TIMEOUT), and the expiry turn when the actor's TTL passes. The clock stops at
   * each due time on the way, so every turn sees the time it was due at, and a timer set by a timer
   * that fired on the way fires in the same call if it is due by the end.
   *
   * @return the turns that ran, in order
   * @throws InvalidConfigException if {@code duration} is negative
   */
  List<TurnResult> advance(Duration duration);

  /**
   * Answers an ask the actor made and runs the REPLY turn (status OK, the ask's correlation id).
   *
   * @param ask one of {@link TurnResult#asks()} or {@link #pendingAsks()}
   * @throws TestKitException if the actor did not make that ask, asked itself, or the ask already
   *     ended (answered or timed out)
   */
  default TurnResult answer(Effect.Ask ask, byte[] reply) {
    return answer(ask, ReplyStatus.OK, reply);
  }

  /** {@link #answer(Effect.Ask, byte[])} with UTF-8 text. */
  default TurnResult answer(Effect.Ask ask, String reply) {
    return answer(ask, reply.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Ends an ask the actor made the way the test says and runs the REPLY turn: {@code OK} with a
   * reply, {@code FAILED} or {@code UNDELIVERABLE} with a reason (UTF-8) as payload, {@code
   * TIMEOUT} with an empty payload whatever is given.
   *
   * @throws TestKitException as {@link #answer(Effect.Ask, byte[])}
   */
  TurnResult answer(Effect.Ask ask, ReplyStatus status, byte[] payload);

  /**
   * Asks the actor made (to other actors) that are neither answered nor timed out, oldest first.
   */
  List<Effect.Ask> pendingAsks();

  /** The actor's live state entries now; empty when it has none. */
  Map<String, byte[]> state();

  /** One live state entry now. */
  default Optional<byte[]> state(String key) {
    return Optional.ofNullable(state().get(key));
  }

  /** The actor's state with remaining TTLs, pending timers and subscriptions; empty if none. */
  Optional<ActorSnapshot> snapshot();

  /** Every turn the actor ran since the kit started, in order. */
  List<TurnResult> turns();

  /**
   * Every message the actor addressed to other actors, in order: its sends (TELL), its asks (ASK,
   * with the {@link Message.Ask#request()} that {@link #answer} completes), and publications routed
   * to other actors of its type.
   */
  List<Message> outbox();

  /** Stops the node under the kit. */
  @Override
  void close();

  /** Builds a kit; {@link #build()} deploys the module and rejects bad values naming them. */
  final class Builder {
    private final byte[] module;
    private Address address = Address.of("actor", "test");
    private TypeConfig config = TypeConfig.DEFAULTS;
    private Instant start = Instant.parse("2026-01-01T00:00:00Z");

    private Builder(byte[] module) {
      if (module == null) {
        throw new InvalidConfigException("module is required");
      }
      this.module = module;
    }

    /** The actor under test, {@code type/id} (default {@code actor/test}). */
    public Builder address(String address) {
      return address(Address.parse(address));
    }

    /** The actor under test (default {@code actor/test}). */
    public Builder address(Address address) {
      if (address == null) {
        throw new InvalidConfigException("address is required");
      }
      this.address = address;
      return this;
    }

    /** The configuration of the actor's type: TTL, limits, topic routes (default: defaults). */
    public Builder config(TypeConfig config) {
      if (config == null) {
        throw new InvalidConfigException("config is required");
      }
      this.config = config;
      return this;
    }

    /** Where the clock starts (default 2026-01-01T00:00:00Z). */
    public Builder startingAt(Instant start) {
      if (start == null) {
        throw new InvalidConfigException("start instant is required");
      }
      this.start = start;
      return this;
    }

    /**
     * Starts a node on a manual clock and deploys the module under the address's type.
     *
     * @throws io.mayfly.wasm.InvalidModuleException if the module is not acceptable Wasm
     * @throws io.mayfly.wasm.AbiViolationException if it does not follow the actor ABI
     */
    public ActorTestKit build() {
      return IsolatedKit.start(module, address, config, ManualClock.startingAt(start));
    }
  }
}
