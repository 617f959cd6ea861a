package io.mayfly.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console under {@code /console} (docs/console.md): a few static files, read once from the
 * jar. The files themselves hold no data and need no token; every figure the page shows comes from
 * the API, which checks the admin token the page sends as a bearer header. The page reaches nothing
 * but this node: its Content-Security-Policy allows no other origin.
 */
final class ConsoleRoutes {
  /** The console's files, in the jar beside this class under {@code console/}. */
  static final List<String> ASSETS = List.of("index.html", "console.css", "console.js");

  static final String RESOURCE_DIR = "console/";

  /**
   * Only this node's own files and API; no inline script or style, no frames, no other origin (a
   * node at the edge runs offline, and the page carries an admin token).
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8");

  private record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  ConsoleRoutes() {
    for (String name : ASSETS) {
      byte[] bytes = read(name);
      String ext = name.substring(name.lastIndexOf('.') + 1);
      assets.put(name, new Asset(bytes, CONTENT_TYPES.get(ext), etag(bytes)));
    }
  }

  void register(HttpRouting.Builder r) {
    r.get("/console", ConsoleRoutes::redirect)
        .get("/console/", (req, res) -> send(req, res, "index.html"))
        .get(
            "/console/{asset}",
            (req, res) -> send(req, res, req.path().pathParameters().get("asset")));
  }

  /** Relative links in the page resolve against {@code /console/}, so the bare path moves there. */
  private static void redirect(ServerRequest req, ServerResponse res) {
    res.status(Status.MOVED_PERMANENTLY_301);
    res.header(HeaderValues.create(HeaderNames.LOCATION, "/console/"));
    res.send();
  }

  private void send(ServerRequest req, ServerResponse res, String name) {
    Asset asset = assets.get(name);
    if (asset == null) {
      throw new RequestRejectedException(
          RequestRejectedException.NOT_FOUND,
          "the console has no file '" + name + "'; open /console/");
    }
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, asset.contentType()));
    // Revalidated on every load (a node upgrade changes them), answered 304 when unchanged.
    res.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache"));
    res.header(HeaderValues.create(HeaderNames.ETAG, asset.etag()));
    res.header(HeaderValues.create("Content-Security-Policy", CONTENT_SECURITY_POLICY));
    res.header(HeaderValues.create("X-Content-Type-Options", "nosniff"));
    res.header(HeaderValues.create("Referrer-Policy", "no-referrer"));
    boolean unchanged =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(asset.etag()::equals).orElse(false);
    if (unchanged) {
      res.status(Status.NOT_MODIFIED_304).send();
    } else {
      res.send(asset.bytes());
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("console/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console/" + name, e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
