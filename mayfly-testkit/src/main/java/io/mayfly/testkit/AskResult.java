package io.mayfly.testkit;

import io.mayfly.wasm.MayflyException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An ask made to the actor under test: the turn that handled it and how the request ended. The
 * request is live: when the actor keeps a reply handle and answers in a later turn, or the ask
 * times out on {@link ActorTestKit#advance}, this result shows it.
 */
public final class AskResult {
  private final TurnResult turn;
  private final CompletableFuture<byte[]> future;

  AskResult(TurnResult turn, CompletableFuture<byte[]> future) {
    this.turn = turn;
    this.future = future;
  }

  /** The turn that handled the ask. */
  public TurnResult turn() {
    return turn;
  }

  /** Whether the request is still waiting: the actor kept a reply handle and has not answered. */
  public boolean pending() {
    return !future.isDone();
  }

  /** The reply, once the actor answered. */
  public Optional<byte[]> reply() {
    return future.state() == CompletableFuture.State.SUCCESS
        ? Optional.of(future.resultNow())
        : Optional.empty();
  }

  /** {@link #reply()} decoded as UTF-8. */
  public Optional<String> replyUtf8() {
    return reply().map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * Why the request failed, as the asker sees it: a {@link io.mayfly.runtime.TurnFailedException}
   * naming the reason ({@code guest_trap}, {@code no_reply}, …) or an {@link
   * io.mayfly.runtime.AskTimeoutException}; empty while pending or when answered.
   */
  public Optional<MayflyException> failure() {
    if (future.state() != CompletableFuture.State.FAILED) {
      return Optional.empty();
    }
    Throwable t = future.exceptionNow();
    return Optional.of(
        t instanceof MayflyException m
            ? m
            : new TestKitException("the ask failed with an unexpected error: " + t, t));
  }

  /** The reply, or an exception saying why there is none. */
  public byte[] replyOrThrow() {
    Optional<MayflyException> failed = failure();
    if (failed.isPresent()) {
      throw failed.get();
    }
    return reply()
        .orElseThrow(
            () ->
                new TestKitException(
                    "the actor has not answered yet: it kept a reply handle in turn\n" + turn));
  }

  @Override
  public String toString() {
    String outcome =
        pending()
            ? "pending"
            : reply()
                .map(r -> "replied " + Bytes.show(r))
                .orElseGet(() -> "failed: " + failure().map(Throwable::getMessage).orElse("?"));
    return outcome + "\n" + turn;
  }
}
