package io.mayfly.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token checks. With no token configured every route is open (the server then listens on
 * loopback only, or was started insecure on purpose). With tokens, a route needs a valid one: the
 * admin token opens every route, a client token only the client routes.
 */
final class Access {
  /** What a route needs. */
  enum Role {
    /** deploy, undeploy, state inspection, actor lists, metrics */
    ADMIN,
    /** tell, ask, publish, topic events */
    CLIENT
  }

  private final byte[] adminToken;
  private final List<byte[]> clientTokens;

  Access(String adminToken, List<String> clientTokens) {
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.clientTokens = clientTokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Whether any token is configured. */
  boolean enabled() {
    return adminToken != null || !clientTokens.isEmpty();
  }

  /**
   * Checks the request's bearer token against a route's role.
   *
   * @throws RequestRejectedException {@code unauthorized} without a valid token, {@code forbidden}
   *     with a client token on an admin route
   */
  void require(ServerRequest req, Role role) {
    if (!enabled()) {
      return;
    }
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()) {
      throw new RequestRejectedException(
          RequestRejectedException.UNAUTHORIZED,
          "this node requires a bearer token: send 'Authorization: Bearer <token>'");
    }
    String value = header.get().strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new RequestRejectedException(
          RequestRejectedException.UNAUTHORIZED,
          "the Authorization header must be 'Bearer <token>'");
    }
    byte[] token = value.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    if (matches(adminToken, token)) {
      return;
    }
    boolean client = false;
    for (byte[] t : clientTokens) {
      // Check every token so that timing does not tell which one is closest.
      client |= matches(t, token);
    }
    if (!client) {
      throw new RequestRejectedException(
          RequestRejectedException.UNAUTHORIZED, "the bearer token is not valid for this node");
    }
    if (role == Role.ADMIN) {
      throw new RequestRejectedException(
          RequestRejectedException.FORBIDDEN,
          "this route needs the admin token; a client token may only send, ask, publish and"
              + " listen to topics");
    }
  }

  private static boolean matches(byte[] expected, byte[] given) {
    return expected != null && MessageDigest.isEqual(expected, given);
  }
}
