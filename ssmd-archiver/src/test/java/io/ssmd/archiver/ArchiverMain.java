package io.ssmd.archiver;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs an archiver in its own JVM for {@link ArchiverCrashIT}, which kills it with SIGKILL:
 * {@code ArchiverMain <natsUrl> <stream> <prefix> <feed> <root> <rotationSeconds>}.
 */
public final class ArchiverMain {
  private ArchiverMain() {}

  public static void main(String[] args) throws Exception {
    ArchiverOptions options = ArchiverOptions.builder(args[0], args[1], args[2], args[3], Path.of(args[4]))
        .rotation(Duration.ofSeconds(Long.parseLong(args[5])))
        .batchSize(200)
        .fetchMaxWait(Duration.ofMillis(100))
        .build();
    Archiver archiver = new Archiver(options, new PrometheusRegistry());
    archiver.start();
    Runtime.getRuntime().addShutdownHook(new Thread(archiver::close));
    Thread.currentThread().join();
  }
}
