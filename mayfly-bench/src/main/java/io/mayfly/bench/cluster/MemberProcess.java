package io.mayfly.bench.cluster;

import io.mayfly.bench.Logs;
import io.mayfly.bench.suite.Drain;
import io.mayfly.bench.suite.Processes;
import io.mayfly.cluster.ClusterConfig;
import io.mayfly.cluster.ClusterMember;
import io.mayfly.runtime.Mayfly;
import io.mayfly.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster member in a child JVM, to be killed with {@code SIGKILL} as a crashed machine would be:
 * {@link #start} launches it, {@link #kill} kills it. The child ({@link #main}) joins the cluster
 * with the default settings, prints {@value #READY} once its node serves (the cluster's types
 * deployed), and stays until its standard input ends, then leaves.
 */
final class MemberProcess implements AutoCloseable {
  static final String READY = "mayfly-member ready";

  /** The suite's setting (see {@code scripts/bench}), for the member's Hazelcast callbacks. */
  private static final String COMMON_POOL =
      "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Drain out;
  private final Drain err;

  private MemberProcess(Process process) {
    this.process = process;
    this.out = Drain.start(process.getInputStream(), "member-stdout");
    this.err = Drain.start(process.getErrorStream(), "member-stderr");
  }

  /**
   * Starts a member of cluster {@code name} in a child JVM, joining through {@code seeds}, and
   * returns once it serves.
   *
   * @throws IllegalStateException if it exits or does not serve within a minute, quoting its output
   */
  static MemberProcess start(String name, String nodeId, List<String> seeds, int workers) {
    var command = new ArrayList<String>();
    command.add(Processes.javaExecutable().toString());
    command.addAll(List.of("-Xmx1g", COMMON_POOL, "-cp", Processes.classPath()));
    command.add(MemberProcess.class.getName());
    command.addAll(
        List.of(name, nodeId, String.valueOf(Ports.freeLoopback()), String.valueOf(workers)));
    command.addAll(seeds);
    MemberProcess member;
    try {
      member = new MemberProcess(new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a JVM for member " + nodeId, e);
    }
    member.awaitReady(nodeId);
    return member;
  }

  private void awaitReady(String nodeId) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!out.text(Duration.ZERO).contains(READY)) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "member "
                + nodeId
                + (process.isAlive() ? " did not serve within a minute" : " exited")
                + ": "
                + out.text()
                + err.text());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Kills the member with {@code SIGKILL}: no goodbye to the cluster, no hand-over.
   *
   * @return {@link System#nanoTime()} just before the signal was sent
   */
  long kill() {
    long now = System.nanoTime();
    process.destroyForcibly();
    return now;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The child: {@code NAME NODE-ID PORT WORKERS SEED...}.
   *
   * @throws IOException if its standard input cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: MemberProcess NAME NODE-ID PORT WORKERS SEED...");
      System.exit(2);
    }
    Logs.quiet();
    ClusterConfig config =
        ClusterConfig.builder()
            .name(args[0])
            .nodeId(args[1])
            .port(Integer.parseInt(args[2]))
            .members(List.of(args).subList(4, args.length))
            .build();
    try (ClusterMember member =
        ClusterMember.join(config, Mayfly.builder().workers(Integer.parseInt(args[3])))) {
      System.out.println(READY + " " + member.status().self());
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
