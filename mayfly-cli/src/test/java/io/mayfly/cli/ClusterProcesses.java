package io.mayfly.cli;

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
    var builder =
        new ProcessBuilder(
                "./mayfly",
                "run",
                "--http",
                "127.0.0.1:0",
                "--admin-token",
                "adm",
                "--workers",
                "1",
                "--cluster",
                cluster,
                "--members",
                memberList,
                "--cluster-port",
                String.valueOf(ports[i]),
                "--node-id",
                nodeId,
                "--cluster-failure-timeout",
                "2s")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    builder.environment().put("MAYFLY_SKIP_BUILD", "1");
    builder.environment().put("MAYFLY_JAVA_OPTS", "-Xmx256m");
    Process p = builder.start();
    members.add(p);
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
    urls.add(url.get(60, TimeUnit.SECONDS));
    return urls.getLast();
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
