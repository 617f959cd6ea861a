package io.mayfly.http;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Subscription;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-sent events for {@code GET /v1/topics/{filter}/events}. Each stream subscribes to the node
 * and runs on its request's (virtual) thread: publications are queued by the publishing thread,
 * which must not block, and written by the stream's thread. A client too slow to keep up loses
 * events (counted in the {@code dropped} field of the next event) rather than holding up actors.
 */
final class TopicEvents {
  /** Events buffered per stream before new ones are dropped. */
  private static final int BUFFER = 1024;

  /** A comment line this often lets a stream notice a client that went away. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private static final Event END = new Event("", new byte[0], null);

  private final Mayfly node;
  private final AtomicBoolean closing;
  private final Set<BlockingQueue<Event>> open = ConcurrentHashMap.newKeySet();

  TopicEvents(Mayfly node, AtomicBoolean closing) {
    this.node = node;
    this.closing = closing;
  }

  private record Event(String topic, byte[] payload, Address publisher) {}

  /** Streams the publications matching a filter until the client leaves or the server closes. */
  void stream(String filter, ServerResponse res) {
    BlockingQueue<Event> queue = new ArrayBlockingQueue<>(BUFFER);
    AtomicLong dropped = new AtomicLong();
    open.add(queue);
    try (Subscription _ =
            node.subscribe(
                filter,
                (topic, payload, publisher) -> {
                  if (!queue.offer(new Event(topic, payload, publisher))) {
                    dropped.incrementAndGet();
                  }
                });
        SseSink sink = res.sink(SseSink.TYPE)) {
      // Tells the client the subscription is in place: publications from now on are delivered.
      sink.emit(SseEvent.builder().comment("subscribed " + filter).build());
      pump(queue, dropped, sink);
    } catch (UncheckedIOException clientGone) {
      // The client closed the connection: the subscription is closed above, nothing else to do.
    } finally {
      open.remove(queue);
    }
  }

  private void pump(BlockingQueue<Event> queue, AtomicLong dropped, SseSink sink) {
    while (!closing.get()) {
      Event e;
      try {
        e = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
      if (e == END) {
        return;
      }
      if (e == null) {
        sink.emit(SseEvent.builder().comment("keep-alive").build());
        continue;
      }
      sink.emit(SseEvent.builder().name("publication").data(json(e, dropped.getAndSet(0))).build());
    }
  }

  /** {@code {"topic", "publisher", "base64", "utf8"?, "dropped"?}} on one line. */
  private static String json(Event e, long dropped) {
    var node = Json.MAPPER.createObjectNode();
    node.put("topic", e.topic());
    node.put("publisher", e.publisher() == null ? null : e.publisher().toString());
    node.put("base64", Base64.getEncoder().encodeToString(e.payload()));
    String text = Json.printableUtf8(e.payload());
    if (text != null) {
      node.put("utf8", text);
    }
    if (dropped > 0) {
      node.put("dropped", dropped);
    }
    return node.toString();
  }

  /** Ends every open stream (the server is closing). */
  void closeAll() {
    for (BlockingQueue<Event> q : open) {
      q.clear();
      q.offer(END);
    }
  }
}
