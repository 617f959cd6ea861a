package io.mayfly.cli;

/** Exit codes of the {@code mayfly} command, which scripts may rely on. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** The node (or the embedded node) reported an error; its message is printed. */
  static final int NODE_ERROR = 1;

  /** The command line is wrong. */
  static final int USAGE = 2;

  /** The node could not be reached at --url. */
  static final int CANNOT_CONNECT = 3;

  /** An ask got no reply in time. */
  static final int ASK_TIMEOUT = 4;

  /** The help footer every verb shows. */
  static final String FOOTER =
      "%nExit codes: 0 ok, 1 error reported by the node (message printed), 2 usage error,"
          + " 3 cannot connect to the node, 4 ask timed out.";

  private ExitCodes() {}
}
