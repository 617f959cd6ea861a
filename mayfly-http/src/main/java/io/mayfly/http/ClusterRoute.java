package io.mayfly.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mayfly.http.Access.Role;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code GET /v1/cluster}: the cluster as this member sees it (docs/http-api.md); 404 {@code
 * not_clustered} on a node that is not a member of a cluster.
 */
final class ClusterRoute {
  private final Supplier<ClusterView> view;

  /** {@code view} is null on an embedded node. */
  ClusterRoute(Supplier<ClusterView> view) {
    this.view = view;
  }

  void register(HttpRouting.Builder r, BiFunction<Role, Handler, Handler> guarded) {
    r.get("/v1/cluster", guarded.apply(Role.ADMIN, this::handle));
  }

  private void handle(ServerRequest req, ServerResponse res) {
    if (view == null) {
      throw new RequestRejectedException(
          RequestRejectedException.NOT_CLUSTERED,
          "this node is not a member of a cluster (start it with mayfly run --cluster)");
    }
    Json.send(res, document(view.get()));
  }

  static ObjectNode document(ClusterView v) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", v.name())
        .put("nodeId", v.nodeId())
        .put("address", v.address())
        .put("partitionCount", v.partitionCount())
        .put("minimumSize", v.minimumSize())
        .put("quorum", v.quorum())
        .put("actors", v.actors())
        .put("replicationBacklog", v.replicationBacklog());
    ArrayNode members = body.putArray("members");
    for (ClusterView.Member m : v.members()) {
      members
          .addObject()
          .put("nodeId", m.nodeId())
          .put("address", m.address())
          .put("local", m.local())
          .put("partitions", m.partitions());
    }
    return body;
  }
}
