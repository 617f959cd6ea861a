package io.mayfly.cli;

import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}, shared by the verbs that talk to a running node. */
final class ClientOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:MAYFLY_URL:-http://127.0.0.1:7070}",
      description = "The node's HTTP API (env MAYFLY_URL; default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:MAYFLY_TOKEN}",
      description =
          "Bearer token: the admin token, or a client token for send/ask/tail (env"
              + " MAYFLY_TOKEN).")
  String token;

  NodeClient client() {
    return new NodeClient(url, token);
  }
}
