package io.mayfly.cluster;

import io.mayfly.wasm.MayflyException;

/**
 * The cluster cannot do what was asked: a member could not join, the members speak different forms,
 * or this member is on the minority side of a split and refuses work.
 */
public class ClusterException extends MayflyException {
  private static final long serialVersionUID = 1L;

  /** A cluster failure described by {@code message}. */
  public ClusterException(String message) {
    super(message);
  }

  /** A cluster failure described by {@code message}, caused by {@code cause}. */
  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "cluster_unavailable";
  }
}
