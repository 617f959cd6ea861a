package io.mayfly.cli;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.TopicListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the sensor actors' alerts ({@code alerts/<site>/<sensor id>}, 16 bytes: value and window
 * mean as little-endian f64) and keeps the latest few. Publications arrive on the node's worker
 * threads, so the work per alert is a counter and a short critical section.
 */
final class AlertLog implements TopicListener {
  /** The topic filter the sensor actors publish under. */
  static final String FILTER = "alerts/#";

  private static final String PREFIX = "alerts/";
  private static final VarHandle F64 =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  /** One alert as the sensor actor published it. */
  record Alert(String sensor, double value, double mean) {}

  private final int keep;
  private final LongAdder total = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final ArrayDeque<Alert> latest;

  AlertLog(int keep) {
    this.keep = keep;
    this.latest = new ArrayDeque<>(keep);
  }

  @Override
  public void onPublication(String topic, byte[] payload, Address publisher) {
    if (payload.length != 16 || !topic.startsWith(PREFIX)) {
      malformed.increment();
      return;
    }
    total.increment();
    var alert =
        new Alert(
            topic.substring(topic.lastIndexOf('/') + 1),
            (double) F64.get(payload, 0),
            (double) F64.get(payload, 8));
    synchronized (latest) {
      if (latest.size() == keep) {
        latest.removeFirst();
      }
      latest.addLast(alert);
    }
  }

  long total() {
    return total.sum();
  }

  /** Publications on the alert topics that were not 16 bytes (a guest bug if ever non-zero). */
  long malformed() {
    return malformed.sum();
  }

  /** The latest alerts, newest last. */
  List<Alert> latest() {
    synchronized (latest) {
      return List.copyOf(latest);
    }
  }
}
