package io.mayfly.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mayfly run --cluster} processes on loopback for the integration tests: each member's HTTP
 * URL, and the output of all of them, each line prefixed with its member's node id.
 */
final class ClusterProcesses implements AutoCloseable {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern URL = Pattern.compile("listening on (http://\\S+)");

  private final String cluster;
  private final String memberList;
  private final int[] ports;
  private final List<Process> members = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final StringBuffer output = new StringBuffer();

  /** A cluster named {@code cluster} whose members listen on {@code ports} (one member each). */
  ClusterProcesses(String cluster, int... ports) {
    this.cluster = cluster;
    this.ports = ports;
    var list = new StringBuilder();
    for (int port : ports) {
      list.append(list.isEmpty() ? "" : ",").append("127.0.0.1:").append(port);
    }
    this.memberList = list.toString();
  }

  /**
   * Starts member {@code i} with node id {@code nodeId}, an admin token {@code adm}, one worker and
   * a failure timeout of 2 s; returns once it printed its HTTP URL.
   */
  String start(int i, String nodeId) throws Exception {
    Member m =
        launch(
            memberCommand("127.0.0.1:0", cluster, memberList, ports[i], nodeId, "2s", List.of()),
            "-Xmx256m",
            nodeId,
            output);
    members.add(m.process());
    urls.add(m.url().get(60, TimeUnit.SECONDS));
    return urls.getLast();
  }

  /** A started member: its process, and the URL it prints once it listens. */
  record Member(Process process, CompletableFuture<String> url) {}

  /**
   * The command of a cluster member with an admin token {@code adm} and one worker, and {@code
   * more} options after the common ones.
   */
  static List<String> memberCommand(
      String http,
      String cluster,
      String memberList,
      int clusterPort,
      String nodeId,
      String failureTimeout,
      List<String> more) {
    var command =
        new ArrayList<>(
            List.of(
                "./mayfly",
                "run",
                "--http",
                http,
                "--admin-token",
                "adm",
                "--workers",
                "1",
                "--cluster",
                cluster,
                "--members",
                memberList,
                "--cluster-port",
                String.valueOf(clusterPort),
                "--node-id",
                nodeId,
                "--cluster-failure-timeout",
                failureTimeout));
    command.addAll(more);
    return command;
  }

  /**
   * Runs {@code command} (a member's, perhaps wrapped to run elsewhere) from the checkout with
   * {@code javaOpts}; each line it prints goes to {@code output} after {@code nodeId}, and its URL
   * completes once it prints that it listens (exceptionally if it ends first).
   */
  static Member launch(List<String> command, String javaOpts, String nodeId, StringBuffer output)
      throws IOException {
    var builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().put("MAYFLY_SKIP_BUILD", "1");
    builder.environment().put("MAYFLY_JAVA_OPTS", javaOpts);
    Process p = builder.start();
    var url = new CompletableFuture<String>();
    Processes.readLines(
            p,
            line -> {
              output.append(nodeId).append("| ").append(line).append('\n');
              Matcher m = URL.matcher(line);
              if (m.find()) {
                url.complete(m.group(1));
              }
            })
        .whenComplete(
            (ended, e) ->
                url.completeExceptionally(
                    e != null
                        ? e
                        : new IllegalStateException(nodeId + " ended without printing its URL")));
    return new Member(p, url);
  }

  String url(int i) {
    return urls.get(i);
  }

  String output() {
    return output.toString();
  }

  /** Kills member {@code i} with SIGKILL (no hand-over, no goodbye) and waits until it is gone. */
  void kill(int i) throws InterruptedException {
    members.get(i).destroyForcibly();
    members.get(i).waitFor();
  }

  @Override
  public void close() {
    members.forEach(Process::destroyForcibly);
  }
}
