package io.mayfly.bench.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a child process's output stream to its end on a virtual thread and keeps it, so the pipe
 * never fills up and blocks the child, and what it printed can be quoted in an error.
 */
public final class Drain {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Thread reader;

  private Drain(InputStream in, String name) {
    this.reader = Thread.ofVirtual().name(name).start(() -> copy(in));
  }

  /** Starts reading {@code in}; {@code name} names the reading thread. */
  public static Drain start(InputStream in, String name) {
    return new Drain(in, name);
  }

  private void copy(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        synchronized (bytes) {
          bytes.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // The child was killed and its pipe closed: what was read so far is kept.
    }
  }

  /**
   * What was read: all of it once the child has exited (waiting up to a second for the end of the
   * stream), or what came so far.
   */
  public String text() {
    return text(Duration.ofSeconds(1));
  }

  /**
   * What was read: all of it once the child has exited (waiting up to {@code wait} for the end of
   * the stream), or what came so far.
   */
  public String text(Duration wait) {
    try {
      reader.join(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
