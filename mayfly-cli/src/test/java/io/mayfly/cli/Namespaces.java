package io.mayfly.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Linux network namespaces for the integration tests, made with {@code ip} (iproute2) as root: one
 * namespace per member, each joined by a veth pair to a bridge in the root namespace that holds the
 * first address of a private /24, so that the test reaches every member from the host. The names
 * carry a random suffix, so that runs never meet. A partition cuts one member off the others with
 * blackhole routes in their namespaces while the host still reaches it; {@link #delete()} deletes
 * everything made.
 */
final class Namespaces {
  private static final long COMMAND_SECONDS = 10;

  private final String suffix;
  private final String subnet; // "10.231.X."
  private final int size;
  private final List<String> made = new ArrayList<>(); // namespaces made, to delete
  private boolean bridgeMade;

  private Namespaces(String suffix, String subnet, int size) {
    this.suffix = suffix;
    this.subnet = subnet;
    this.size = size;
  }

  /**
   * Why namespaces cannot be made on this machine, or null when they can: the test must then run as
   * root with {@code ip netns} at hand.
   */
  static String unavailable() throws InterruptedException {
    try {
      Processes.Result id = run(List.of("id", "-u"));
      if (id.exitCode() != 0 || !id.output().strip().equals("0")) {
        return "network namespaces need root; this test runs as uid " + id.output().strip();
      }
      Processes.Result list = run(List.of("ip", "netns", "list"));
      if (list.exitCode() != 0) {
        return "`ip netns list` failed: " + list.output().strip();
      }
      return null;
    } catch (IOException e) {
      return "cannot run `id` or `ip` (iproute2): " + e.getMessage();
    }
  }

  /**
   * Makes {@code size} namespaces joined to a bridge, in a 10.231.X.0/24 that no route or address
   * of the host uses yet. Fails with the output of the command that failed; the caller must {@link
   * #delete()} what was made even then.
   */
  static Namespaces create(int size) throws IOException, InterruptedException {
    String taken =
        run(List.of("ip", "-4", "route", "show", "table", "all")).output()
            + run(List.of("ip", "-4", "addr", "show")).output();
    var random = ThreadLocalRandom.current();
    String subnet;
    do {
      subnet = "10.231." + random.nextInt(1, 255) + ".";
    } while (taken.contains(subnet));
    return new Namespaces(Integer.toHexString(random.nextInt(0x10000, 0x100000)), subnet, size);
  }

  /** Builds the bridge and the namespaces; throws {@link NamespaceException} on the first error. */
  Namespaces build() throws IOException, InterruptedException {
    String bridge = bridge();
    ip("link", "add", bridge, "type", "bridge");
    bridgeMade = true;
    ip("addr", "add", subnet + "1/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    for (int i = 0; i < size; i++) {
      String ns = namespace(i);
      ip("netns", "add", ns);
      made.add(ns);
      String host = "mf" + suffix + "h" + i;
      String inside = "mf" + suffix + "n" + i;
      ip("link", "add", host, "type", "veth", "peer", "name", inside, "netns", ns);
      ip("link", "set", host, "master", bridge);
      ip("link", "set", host, "up");
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "addr", "add", address(i) + "/24", "dev", inside);
      ip("-n", ns, "link", "set", inside, "up");
    }
    return this;
  }

  /** The name of namespace {@code i}. */
  String namespace(int i) {
    return "mf" + suffix + "-" + i;
  }

  /** The address of namespace {@code i} in the private subnet. */
  String address(int i) {
    return subnet + (10 + i);
  }

  private String bridge() {
    return "mfb" + suffix;
  }

  /** Cuts member {@code cut} off every other member, both ways; the host still reaches all. */
  void cut(int cut) throws IOException, InterruptedException {
    routes("add", cut);
  }

  /** Undoes {@link #cut}. */
  void heal(int cut) throws IOException, InterruptedException {
    routes("del", cut);
  }

  private void routes(String verb, int cut) throws IOException, InterruptedException {
    for (int i = 0; i < size; i++) {
      if (i != cut) {
        ip("-n", namespace(cut), "route", verb, "blackhole", address(i) + "/32");
        ip("-n", namespace(i), "route", verb, "blackhole", address(cut) + "/32");
      }
    }
  }

  /** The command that runs {@code command} inside namespace {@code i}. */
  List<String> inside(int i, List<String> command) {
    var all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
    all.addAll(command);
    return all;
  }

  /**
   * Deletes the namespaces (and so their veth pairs) and the bridge; tries each, even on errors.
   */
  void delete() throws IOException, InterruptedException {
    var errors = new StringBuilder();
    for (String ns : made) {
      Processes.Result r = run(List.of("ip", "netns", "del", ns));
      if (r.exitCode() != 0) {
        errors.append("ip netns del ").append(ns).append(": ").append(r.output());
      }
    }
    made.clear();
    if (bridgeMade) {
      Processes.Result r = run(List.of("ip", "link", "del", bridge()));
      if (r.exitCode() != 0) {
        errors.append("ip link del ").append(bridge()).append(": ").append(r.output());
      }
      bridgeMade = false;
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("cleaning up the network namespaces failed: " + errors);
    }
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Processes.Result r = run(command);
    if (r.exitCode() != 0) {
      throw new NamespaceException(String.join(" ", command) + " failed: " + r.output().strip());
    }
  }

  private static Processes.Result run(List<String> command)
      throws IOException, InterruptedException {
    return Processes.run(Path.of("."), Map.of(), COMMAND_SECONDS, command);
  }

  /** An {@code ip} command failed: the machine does not let the test make its network. */
  static final class NamespaceException extends IOException {
    private static final long serialVersionUID = 1L;

    NamespaceException(String message) {
      super(message);
    }
  }
}
