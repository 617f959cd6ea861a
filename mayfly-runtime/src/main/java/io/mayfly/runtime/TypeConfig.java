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
 * @param maxStateBytes largest state of one actor (keys plus values)
 * @param maxMemoryPages cap on an instance's linear memory, in 64 KiB pages
 * @param maxEffectsPerTurn most sends, asks, publications, timers and log lines in one turn
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

    public Builder ttl(Ttl ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder mailboxCapacity(int capacity) {
      this.mailboxCapacity = capacity;
      return this;
    }

    public Builder turnTimeout(Duration timeout) {
      this.turnTimeout = timeout;
      return this;
    }

    public Builder askTimeout(Duration timeout) {
      this.askTimeout = timeout;
      return this;
    }

    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    public Builder maxStateBytes(int bytes) {
      this.maxStateBytes = bytes;
      return this;
    }

    public Builder maxMemoryPages(int pages) {
      this.maxMemoryPages = pages;
      return this;
    }

    public Builder maxEffectsPerTurn(int effects) {
      this.maxEffectsPerTurn = effects;
      return this;
    }

    /** Routes publications matching {@code filter} to {@code TYPE/<idTemplate expanded>}. */
    public Builder subscribe(String filter, String idTemplate) {
      subscriptions.add(new TypeSubscription(filter, idTemplate));
      return this;
    }

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
