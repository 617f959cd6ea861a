package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A null where the API does not allow one is refused naming the parameter, and costs nothing. */
class NullArgumentsTest {
  @Test
  void aNullArgumentIsRefusedNamingItsParameterAndNothingIsSentOrCounted() {
    try (Mayfly node = Mayfly.builder().synchronous(true).build()) {
      node.deploy("counter", SmokeTest.COUNTER);
      Address a = Address.parse("counter/a");
      byte[] none = new byte[0];
      Map<String, ThrowingCallable> calls =
          Map.ofEntries(
              Map.entry("to", () -> node.tell(null, none)),
              Map.entry("payload", () -> node.tell(a, null)),
              Map.entry("to ", () -> node.ask(null, none)),
              Map.entry("payload ", () -> node.ask(a, null)),
              Map.entry("payload  ", () -> node.tellConfirmed(a, null, null, null, null)),
              Map.entry("type", () -> node.deploy(null, SmokeTest.COUNTER)),
              Map.entry("module", () -> node.deploy("other", null)),
              Map.entry("typeConfig", () -> node.deploy("other", SmokeTest.COUNTER, null)),
              Map.entry("topic", () -> node.publish(null, none)),
              Map.entry("payload   ", () -> node.publish("alerts/a", null)),
              Map.entry("filter", () -> node.subscribe(null, (t, p, f) -> {})),
              Map.entry("listener", () -> node.subscribe("alerts/#", null)),
              Map.entry("value", () -> node.putSharedData("k", null)));
      calls.forEach(
          (parameter, call) ->
              assertThatThrownBy(call)
                  .as(parameter.strip())
                  .isInstanceOf(NullPointerException.class)
                  .hasMessage(parameter.strip()));
      NodeStats stats = node.stats();
      assertThat(stats.turns()).isZero();
      assertThat(stats.rejected()).isZero();
      assertThat(node.types()).extracting(TypeInfo::type).containsExactly("counter");
    }
  }
}
