/**
 * Helpers shared by the tests of every Mayfly module and by the benchmarks: a real {@link
 * io.mayfly.testing.Mosquitto mosquitto} on a free loopback port, {@link io.mayfly.testing.Wat WAT}
 * compiled to Wasm in the JVM, the files of the source {@link io.mayfly.testing.Checkout checkout}
 * (the committed guest builds), free {@link io.mayfly.testing.Ports ports} and installed {@link
 * io.mayfly.testing.Programs programs}.
 *
 * <p>The module depends on nothing of Mayfly's, so it is built first and every module's tests can
 * use it, {@code mayfly-wasm}'s included; a helper that needs Mayfly's types stays in the module
 * whose tests use it. Not an API: it is not published and changes with the tests.
 */
package io.mayfly.testing;
