package io.mayfly.runtime;

import io.mayfly.wasm.ModuleLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the actors of one type live and what they may use. Defaults are documented in
 * docs/configuration.md with their reasons.
 *
 * @param ttl default TTL of an actor's state
 * @param mailboxCapacity messages an actor may have waiting before senders are told it is full
 * @param turnTimeout deadline of one turn (and of instantiating the module)
 * @param askTimeout default timeout of an ask an actor makes without giving one
 * @param maxMessageBytes largest message payload
 * @param maxStateBytes largest state of one actor: keys (in UTF-8) plus values, plus the payloads
 *     of its pending timers
 * @param maxMemoryPages cap on an instance's linear memory, in 64 KiB pages
 * @param maxEffectsPerTurn most sends, asks, publications, timers, subscriptions and log lines in
 *     one turn
 * @param subscriptions topics routed to actors of this type
 */
public record TypeConfig(
    Ttl ttl,
    int mailboxCapacity,
    Duration turnTimeout,
    Duration askTimeout,
    int maxMessageBytes,
    int maxStateBytes,
    int maxMemoryPages,
    int maxEffectsPerTurn,
    List<TypeSubscription> subscriptions) {

  /** The defaults. */
  public static final TypeConfig DEFAULTS = builder().build();

  public TypeConfig {
    if (ttl == null) {
      throw new InvalidConfigException("ttl is required");
    }
    positive("mailboxCapacity", mailboxCapacity);
    positive("turnTimeout", turnTimeout);
    positive("askTimeout", askTimeout);
    positive("maxMessageBytes", maxMessageBytes);
    positive("maxStateBytes", maxStateBytes);
    positive("maxEffectsPerTurn", maxEffectsPerTurn);
    if (maxMemoryPages < 1 || maxMemoryPages > ModuleLimits.MAX_MEMORY_PAGES) {
      throw new InvalidConfigException(
          "maxMemoryPages must be in 1.."
              + ModuleLimits.MAX_MEMORY_PAGES
              + ", was "
              + maxMemoryPages);
    }
    subscriptions = List.copyOf(subscriptions);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new InvalidConfigException(name + " must be positive, was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidConfigException(
          name + " must be a positive duration, was " + Durations.show(value));
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    var b = new Builder();
    b.ttl = ttl;
    b.mailboxCapacity = mailboxCapacity;
    b.turnTimeout = turnTimeout;
    b.askTimeout = askTimeout;
    b.maxMessageBytes = maxMessageBytes;
    b.maxStateBytes = maxStateBytes;
    b.maxMemoryPages = maxMemoryPages;
    b.maxEffectsPerTurn = maxEffectsPerTurn;
    b.subscriptions.addAll(subscriptions);
    return b;
  }

  /** Builds a {@link TypeConfig}; {@link #build()} rejects bad values naming them. */
  public static final class Builder {
    private Ttl ttl = Ttl.afterAccess(Duration.ofMinutes(10));
    private int mailboxCapacity = 1024;
    private Duration turnTimeout = Duration.ofSeconds(1);
    private Duration askTimeout = Duration.ofSeconds(5);
    private int maxMessageBytes = 1 << 20;
    private int maxStateBytes = 4 << 20;
    private int maxMemoryPages = 256;
    private int maxEffectsPerTurn = 1024;
    private final List<TypeSubscription> subscriptions = new ArrayList<>();

    private Builder() {}

    /** The default TTL of an actor's state (default: 10 minutes after the last access). */
    public Builder ttl(Ttl ttl) {
      this.ttl = ttl;
      return this;
    }

    /**
     * Messages an actor may have waiting before a sender gets {@link MailboxFullException} (default
     * 1024); also the most timers and the most asks an actor may have pending at once.
     */
    public Builder mailboxCapacity(int capacity) {
      this.mailboxCapacity = capacity;
      return this;
    }

    /** The deadline of one turn and of a module's start code (default 1 s). */
    public Builder turnTimeout(Duration timeout) {
      this.turnTimeout = timeout;
      return this;
    }

    /**
     * The timeout of an ask an actor makes with {@code timeout_ms <= 0}, and of a Java ask or
     * confirmed tell without a timeout (default 5 s).
     */
    public Builder askTimeout(Duration timeout) {
      this.askTimeout = timeout;
      return this;
    }

    /**
     * The largest message payload (default 1 MiB); a larger one from outside is refused with {@link
     * MessageTooLargeException}.
     */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * The largest state of one actor (default 4 MiB): keys (in UTF-8) plus values, plus the
     * payloads of its pending timers.
     */
    public Builder maxStateBytes(int bytes) {
      this.maxStateBytes = bytes;
      return this;
    }

    /**
     * The cap on an instance's linear memory in 64 KiB pages (default 256, 16 MiB; at most 32 768):
     * {@code memory.grow} beyond it returns -1.
     */
    public Builder maxMemoryPages(int pages) {
      this.maxMemoryPages = pages;
      return this;
    }

    /**
     * The most sends, asks, publications, timers, subscriptions and log lines one turn may buffer
     * (default 1024).
     */
    public Builder maxEffectsPerTurn(int effects) {
      this.maxEffectsPerTurn = effects;
      return this;
    }

    /**
     * Routes publications matching {@code filter} to {@code TYPE/<idTemplate expanded>} (see {@link
     * TypeSubscription}).
     *
     * @throws InvalidConfigException if the filter is not a valid topic filter or the template is
     *     empty
     */
    public Builder subscribe(String filter, String idTemplate) {
      subscriptions.add(new TypeSubscription(filter, idTemplate));
      return this;
    }

    /**
     * The configuration.
     *
     * @throws InvalidConfigException naming the first bad value
     */
    public TypeConfig build() {
      return new TypeConfig(
          ttl,
          mailboxCapacity,
          turnTimeout,
          askTimeout,
          maxMessageBytes,
          maxStateBytes,
          maxMemoryPages,
          maxEffectsPerTurn,
          subscriptions);
    }
  }
}
