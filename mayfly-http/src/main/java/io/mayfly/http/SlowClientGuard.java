package io.mayfly.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The read timeout: closes a connection whose client takes longer than it to send a request's
 * headers, counted from the end of its request line. Without it a client sending a header byte a
 * second (a slowloris) holds a connection, and its thread, for as long as it likes. (A request line
 * that does not arrive is the idle timeout's business: the web server closes a connection that has
 * been without a complete request for that long.)
 *
 * <p>It listens to the HTTP/1 connections: a request line received puts the connection in {@link
 * #heads}, its headers received take it out, and a scanner looks at the rest a few times per
 * timeout.
 */
final class SlowClientGuard implements Http1ConnectionListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SlowClientGuard.class.getName());

  static final String READ_TIMEOUT = "read_timeout";

  private final long timeoutNanos;
  private final Duration timeout;
  private final HttpMetrics metrics;

  /** Connections receiving a request's headers, with the time its request line came. */
  private final Map<ConnectionContext, Long> heads = new ConcurrentHashMap<>();

  private final ScheduledExecutorService scanner;

  SlowClientGuard(Duration timeout, HttpMetrics metrics) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.metrics = metrics;
    this.scanner =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mayfly-http-read-timeout");
              t.setDaemon(true);
              return t;
            });
    long period = Math.clamp(timeoutNanos / 4, 10_000_000L, 1_000_000_000L);
    scanner.scheduleWithFixedDelay(this::closeLate, period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    heads.put(ctx, System.nanoTime());
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    heads.remove(ctx);
  }

  /**
   * As a send listener: an answer is going out, so the head is over (a request refused while its
   * headers were read, say too large, gets its answer without a headers event).
   */
  @Override
  public void status(ConnectionContext ctx, Status status) {
    heads.remove(ctx);
  }

  private void closeLate() {
    long now = System.nanoTime();
    int closed = 0;
    for (var e : heads.entrySet()) {
      if (now - e.getValue() > timeoutNanos && heads.remove(e.getKey(), e.getValue())) {
        closed++;
        metrics.count(HttpMetrics.CONNECTIONS_CLOSED, READ_TIMEOUT);
        try {
          e.getKey().serverSocket().close();
        } catch (RuntimeException alreadyGone) {
          // closed by the client meanwhile: nothing to do
        }
      }
    }
    if (closed > 0) {
      LOG.log(
          Level.WARNING,
          "closed {0} connection(s) whose client did not send a request head within the read"
              + " timeout ({1} ms)",
          String.valueOf(closed),
          String.valueOf(timeout.toMillis()));
    }
  }

  @Override
  public void close() {
    scanner.shutdownNow();
  }
}
