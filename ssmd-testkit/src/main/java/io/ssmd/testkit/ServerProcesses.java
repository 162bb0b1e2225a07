package io.ssmd.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;

/** Process plumbing shared by the server launchers ({@link NatsServerProcess}, {@link RedisServerProcess}). */
final class ServerProcesses {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private ServerProcesses() {}

  /** The first executable {@code binary} in {@code dirs}. */
  static Optional<Path> findBinary(String binary, List<Path> dirs) {
    return dirs.stream()
        .map(dir -> dir.resolve(binary))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /** Graceful stop (SIGTERM), escalating to SIGKILL if the process has not exited within {@link #STOP_TIMEOUT}. */
  static void terminate(Process process, String what, Logger log) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} ignored SIGTERM for {}; killing it", what, STOP_TIMEOUT);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    log.info("{} stopped", what);
  }

  /** Deletes a directory tree, logging (not throwing) what cannot be deleted. */
  static void deleteTree(Path dir, Logger log) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
