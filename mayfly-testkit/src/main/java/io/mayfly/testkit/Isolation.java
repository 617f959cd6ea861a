package io.mayfly.testkit;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.ManualClock;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.TurnListener;
import io.mayfly.runtime.TurnRecord;
import io.mayfly.runtime.UndeliverableException;
import io.mayfly.runtime.spi.Placement;
import java.util.ArrayList;
import java.util.List;

/**
 * The two hooks the kit puts into its node: a placement under which only the actor under test is
 * local, so everything addressed to another actor is forwarded here and kept; and a turn listener
 * that keeps every turn with the clock reading it ran at. Both only append: the kit reads them
 * after each call, because an exception thrown from inside a turn would stop the node's synchronous
 * dispatcher.
 */
final class Isolation implements Placement, TurnListener {
  /** A turn and the node clock (nanoseconds) when it ran. */
  record Recorded(TurnRecord record, long nanos) {}

  private final Address self;
  private final ManualClock clock;
  private final List<Message> outbox = new ArrayList<>();
  private final List<Recorded> recorded = new ArrayList<>();

  Isolation(Address self, ManualClock clock) {
    this.self = self;
    this.clock = clock;
  }

  @Override
  public boolean isLocal(Address address) {
    return self.equals(address);
  }

  @Override
  public void forward(Message message) {
    outbox.add(message);
  }

  @Override
  public void forward(Answer answer) {
    throw new UndeliverableException(
        "the test kit holds every request; " + answer.request() + " is not one of them");
  }

  @Override
  public void onTurn(TurnRecord turn) {
    recorded.add(new Recorded(turn, clock.nanoTime()));
  }

  /** Messages forwarded since the kit started. */
  List<Message> outbox() {
    return outbox;
  }

  /** Turns recorded since the last call, oldest first; the kit takes them over. */
  List<Recorded> takeTurns() {
    var out = List.copyOf(recorded);
    recorded.clear();
    return out;
  }

  /** Whether {@code m} is an ask the actor under test made of another actor. */
  boolean isOwnAsk(Message m) {
    return m instanceof Message.Ask && self.equals(m.sender());
  }
}
