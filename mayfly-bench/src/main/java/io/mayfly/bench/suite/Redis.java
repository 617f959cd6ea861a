package io.mayfly.bench.suite;

import io.mayfly.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} on a free loopback port, in memory only (no snapshots, no append
 * log), started for one workload and stopped after it.
 */
public final class Redis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private Redis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server and waits until it answers {@code PING}. */
  public static Redis start() {
    Path server = Processes.require("redis-server", "redis-server");
    int port = Ports.freeLoopback();
    try {
      Path dir = Files.createTempDirectory("mayfly-bench-redis");
      Process process =
          new ProcessBuilder(
                  List.of(
                      server.toString(),
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      dir.toString(),
                      "--proto-max-bulk-len",
                      "64mb"))
              .redirectOutput(dir.resolve("redis.log").toFile())
              .redirectErrorStream(true)
              .start();
      var redis = new Redis(process, port, dir);
      redis.awaitPing(Duration.ofSeconds(10));
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server", e);
    }
  }

  public int port() {
    return port;
  }

  /** A new connection to this server (Jedis connections are not thread-safe: one per thread). */
  public Jedis connect() {
    return new Jedis("127.0.0.1", port);
  }

  /** The server's version, e.g. {@code 7.0.15}. */
  public String version() {
    try (Jedis jedis = connect()) {
      for (String line : jedis.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
    }
    return "unknown";
  }

  private void awaitPing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with "
                + process.exitValue()
                + "; see "
                + dir.resolve("redis.log"));
      }
      try (Jedis jedis = connect()) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
    }
    close();
    throw new IllegalStateException("redis-server did not answer PING within " + timeout, last);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
