package io.mayfly.runtime.spi;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.Answer;
import io.mayfly.runtime.Message;
import io.mayfly.runtime.UndeliverableException;

/** The placement of the embedded node: it owns every actor and holds every request. */
enum LocalPlacement implements Placement {
  INSTANCE;

  @Override
  public boolean isLocal(Address address) {
    return true;
  }

  @Override
  public void forward(Message message) {
    throw new UndeliverableException("an embedded node owns every actor: " + message.target());
  }

  @Override
  public void forward(Answer answer) {
    throw new UndeliverableException(
        "an embedded node holds every request, not " + answer.request());
  }
}
