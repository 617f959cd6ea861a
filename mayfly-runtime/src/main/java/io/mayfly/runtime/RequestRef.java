package io.mayfly.runtime;

/**
 * Where the answer to an ask goes: the node that holds the request, and the request's id there. Ids
 * are unique per node, so two nodes never mistake each other's requests.
 *
 * @param node the id of the node waiting for the answer ({@link NodeConfig#nodeId()})
 * @param id the request's id on that node (positive)
 */
public record RequestRef(String node, long id) {
  public RequestRef {
    if (node == null || id <= 0) {
      throw new InvalidConfigException(
          "a request needs a node and a positive id, was " + node + ":" + id);
    }
  }

  /** The reply handle a guest keeps to answer this request in a later turn. */
  public byte[] handle() {
    return Requests.handle(this);
  }

  /** The request a reply handle names, or {@code null} if the bytes are not a reply handle. */
  public static RequestRef ofHandle(byte[] handle) {
    return Requests.parseHandle(handle);
  }

  @Override
  public String toString() {
    return node + ":" + id;
  }
}
