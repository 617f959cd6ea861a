package io.mayfly.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.Subscription;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Server-sent events for {@code GET /v1/topics/{filter}/events}. Each stream subscribes to the node
 * and runs on its request's (virtual) thread: publications are queued by the publishing thread,
 * which must not block, and written by the stream's thread.
 *
 * <p>A stream holds at most {@code bufferBytes} of publications waiting for its client (plus the
 * one being written). A client that falls further behind is cut off rather than allowed to hold
 * memory or hold up actors: its buffer is dropped, it gets a last {@code closed} event with reason
 * {@code slow_consumer} (if it reads at all), the stream ends, and that is logged once and counted.
 * If the stream's thread is stuck writing to a client that does not read, it is interrupted, which
 * closes the connection.
 */
final class TopicEvents {
  private static final System.Logger LOG = System.getLogger(TopicEvents.class.getName());

  /** A comment line this often lets a stream notice a client that went away. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /**
   * How long a stream that was cut off while writing to its client may take to finish that write,
   * so a client that is slow but reading still gets the final {@code closed} event; a client that
   * does not read at all has its connection closed after this.
   */
  static final Duration CUT_OFF_GRACE = Duration.ofSeconds(1);

  /** What an event costs beyond its payload and topic: the record, the queue node, the address. */
  private static final int EVENT_OVERHEAD = 96;

  static final String SLOW_CONSUMER = "slow_consumer";
  static final String SERVER_CLOSING = "server_closing";

  private static final Event END = new Event("", new byte[0], null);
  private static final Event OVERFLOW = new Event("", new byte[0], null);

  private final Mayfly node;
  private final AtomicBoolean closing;
  private final long bufferBytes;
  private final HttpMetrics metrics;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();

  TopicEvents(Mayfly node, AtomicBoolean closing, long bufferBytes, HttpMetrics metrics) {
    this.node = node;
    this.closing = closing;
    this.bufferBytes = bufferBytes;
    this.metrics = metrics;
  }

  private record Event(String topic, byte[] payload, Address publisher) {
    long weight() {
      return payload.length + 2L * topic.length() + EVENT_OVERHEAD;
    }
  }

  /** One client's stream: its queue, the bytes in it, and whether it was cut off. */
  private final class Stream {
    final String filter;
    final Thread thread = Thread.currentThread();
    final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    final AtomicLong queuedBytes = new AtomicLong();
    final AtomicBoolean cutOff = new AtomicBoolean();
    volatile boolean writing;

    Stream(String filter) {
      this.filter = filter;
    }

    /** Runs on the publishing thread: queues the event, or cuts the stream off; never blocks. */
    void offer(Event e) {
      if (cutOff.get()) {
        return;
      }
      long w = e.weight();
      long queued = queuedBytes.addAndGet(w);
      if (queued > bufferBytes && queued != w) {
        queuedBytes.addAndGet(-w);
        cutOff();
        return;
      }
      queue.offer(e);
    }

    private void cutOff() {
      if (!cutOff.compareAndSet(false, true)) {
        return;
      }
      queue.clear();
      queuedBytes.set(0);
      queue.offer(OVERFLOW);
      metrics.count(HttpMetrics.EVENT_STREAMS_CLOSED, SLOW_CONSUMER);
      LOG.log(
          Level.WARNING,
          "event stream for {0} closed: its client fell more than {1} bytes behind (slow"
              + " consumer)",
          filter,
          Long.toString(bufferBytes));
      interruptIfStillWriting();
    }

    /**
     * The stream's thread may be stuck writing to a client that does not read at all (the event in
     * flight, or the final one): if it still is after a grace, an interrupt closes the connection.
     * A virtual thread waits out the grace, so nothing blocks the publisher.
     */
    private void interruptIfStillWriting() {
      Thread.ofVirtual()
          .name("mayfly-http-events-cut-off")
          .start(
              () -> {
                long end = System.nanoTime() + CUT_OFF_GRACE.toNanos();
                for (long left; (left = end - System.nanoTime()) > 0; ) {
                  LockSupport.parkNanos(left);
                }
                if (writing && open.contains(this)) {
                  thread.interrupt();
                }
              });
    }

    /** Runs on the stream's thread: the next event, {@link #OVERFLOW}, {@link #END} or null. */
    Event next() {
      Event e;
      try {
        e = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException interrupted) {
        return cutOff.get() ? OVERFLOW : END;
      }
      if (e != null && e != END && e != OVERFLOW) {
        queuedBytes.addAndGet(-e.weight());
      }
      return e;
    }
  }

  /** Streams the publications matching a filter until the client leaves or the server closes. */
  void stream(String filter, ServerResponse res) {
    var stream = new Stream(filter);
    open.add(stream);
    res.header(HeaderValues.CONNECTION_CLOSE);
    try (Subscription _ =
            node.subscribe(
                filter, (topic, payload, from) -> stream.offer(new Event(topic, payload, from)));
        SseSink sink = res.sink(SseSink.TYPE)) {
      // Tells the client the subscription is in place: publications from now on are delivered.
      sink.emit(SseEvent.builder().comment("subscribed " + filter).build());
      pump(stream, sink);
    } catch (UncheckedIOException clientGone) {
      // The client closed the connection, or was cut off while we wrote to it: the subscription
      // is closed above, nothing else to do.
    } finally {
      open.remove(stream);
      Thread.interrupted(); // an interrupt that cut the stream off is spent
    }
    // A stream's connection is not reused: when the stream ends (cut off, or the server closes),
    // the connection closes too, and a client that stopped reading holds nothing.
    throw new CloseConnectionException("the event stream for " + filter + " ended");
  }

  private void pump(Stream stream, SseSink sink) {
    while (true) {
      Event e = stream.next();
      if (e == OVERFLOW) {
        Thread.interrupted();
        emitClosed(
            stream,
            sink,
            SLOW_CONSUMER,
            "this client fell more than " + bufferBytes + " bytes behind; reconnect");
        return;
      }
      if (e == END || closing.get()) {
        emitClosed(stream, sink, SERVER_CLOSING, "the server is shutting down");
        return;
      }
      SseEvent event =
          e == null
              ? SseEvent.builder().comment("keep-alive").build()
              : SseEvent.builder().name("publication").data(json(e)).build();
      emit(stream, sink, event);
    }
  }

  /** Writes an event, marked as writing so a cut-off can close a connection stuck in the write. */
  private static void emit(Stream stream, SseSink sink, SseEvent event) {
    stream.writing = true;
    try {
      if (!stream.cutOff.get()) {
        sink.emit(event);
      }
    } finally {
      stream.writing = false;
    }
  }

  private static void emitClosed(Stream stream, SseSink sink, String reason, String message) {
    var body = Json.MAPPER.createObjectNode().put("reason", reason).put("message", message);
    SseEvent event = SseEvent.builder().name("closed").data(body.toString()).build();
    stream.writing = true;
    try {
      sink.emit(event);
    } finally {
      stream.writing = false;
    }
  }

  /** {@code {"topic", "publisher", "base64", "utf8"?}} on one line. */
  private static String json(Event e) {
    var node = Json.MAPPER.createObjectNode();
    node.put("topic", e.topic());
    node.put("publisher", e.publisher() == null ? null : e.publisher().toString());
    node.put("base64", Base64.getEncoder().encodeToString(e.payload()));
    String text = Json.printableUtf8(e.payload());
    if (text != null) {
      node.put("utf8", text);
    }
    return node.toString();
  }

  /** Ends every open stream (the server is closing). */
  void closeAll() {
    for (Stream s : open) {
      s.queue.clear();
      s.queuedBytes.set(0);
      s.queue.offer(END);
    }
  }
}
