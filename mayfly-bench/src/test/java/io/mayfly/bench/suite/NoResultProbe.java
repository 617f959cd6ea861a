package io.mayfly.bench.suite;

/** A probe that ends normally without a result line, for {@link ChildJvmTest}. */
public final class NoResultProbe {
  private NoResultProbe() {}

  public static void main(String[] args) {
    System.out.println("working on it");
    if (args.length > 0) {
      System.err.println("giving up: " + args[0]);
      System.exit(7);
    }
  }
}
