package io.mayfly.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The meters of the {@code mayfly run} process beside the node's own: the JVM (memory, garbage
 * collection, threads, classes), the process (CPU, uptime, open files) and {@code
 * mayfly_build_info}. An embedding program binds what it wants itself, so these belong to the
 * command rather than to the node.
 */
final class ProcessMeters implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private ProcessMeters() {}

  /** Binds every meter to the registry; close it to stop listening to garbage collections. */
  static ProcessMeters bind(MeterRegistry registry, String version) {
    var meters = new ProcessMeters();
    new JvmMemoryMetrics().bindTo(registry);
    meters.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("mayfly.build.info", () -> 1)
        .description("1, with the version of Mayfly and of Java as labels")
        .tag("version", version)
        .tag("java_version", Runtime.version().toString())
        .register(registry);
    return meters;
  }

  @Override
  public void close() {
    gc.close();
  }
}
