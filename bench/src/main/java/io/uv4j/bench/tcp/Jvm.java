package io.uv4j.bench.tcp;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

/** What the Java servers print about their JVM in their "listening" line. */
final class Jvm {
  private Jvm() {}

  /** Version, collector (the JVM picks it from the CPUs it may use: pinned to one, Serial) and CPUs. */
  static String describe() {
    String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining("+")).replace(' ', '_');
    return "java=" + Runtime.version() + " gc=" + gc + " cpus=" + Runtime.getRuntime().availableProcessors();
  }
}
