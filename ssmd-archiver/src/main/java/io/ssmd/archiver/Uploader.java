package io.ssmd.archiver;

import io.ssmd.storage.ObjectStore;
import io.ssmd.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads finished files and manifests to the {@code raw} store on one background thread, so a
 * slow or failing store never holds up archiving. Each task syncs a whole day: every file the
 * manifest lists whose object is missing or differs (size, SHA-256) is put, then the manifest, so
 * a failed upload is retried by the next rotation of that day and by {@link #resumeAll} at start;
 * what the store already holds is never sent again. Retriable errors are retried with backoff;
 * others fail the round at once.
 */
final class Uploader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
  private static final int ATTEMPTS = 6;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final ObjectStore store;
  private final Path root;
  private final String feed;
  private final ArchiverMetrics metrics;
  /** Also retries failed days every {@link #RETRY_EVERY}, so an idle stream does not leave a failed upload waiting. */
  private final java.util.concurrent.ScheduledExecutorService executor;
  static final Duration RETRY_EVERY = Duration.ofSeconds(30);
  /** Days whose last sync failed: retried with every rotation, every {@link #RETRY_EVERY} and at start. */
  private final Set<Path> failedDays = ConcurrentHashMap.newKeySet();
  /** Keys verified in the store with this content: {@code key + "@" + sha256}. */
  private final Set<String> verified = ConcurrentHashMap.newKeySet();
  private final Set<Path> queued = ConcurrentHashMap.newKeySet();
  private volatile String lastFailure;
  private volatile boolean closing;

  Uploader(ObjectStore store, Path root, String feed, ArchiverMetrics metrics) {
    this.store = store;
    this.root = root;
    this.feed = feed;
    this.metrics = metrics;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ssmd-archiver-upload-" + feed);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::retryFailed, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void retryFailed() {
    for (Path day : failedDays) {
      submit(day);
    }
  }

  /** Why the last upload round failed, or null when it succeeded (or none ran yet). */
  String lastFailure() {
    return lastFailure;
  }

  /** Schedules a sync of every day directory of the feed (start-up resume). */
  void resumeAll(ArchiveWriter writer) {
    try {
      for (Path day : writer.dayDirs()) {
        submit(day);
      }
    } catch (IOException e) {
      LOG.error("cannot list {} to resume uploads: {}", root.resolve(feed), e.toString());
    }
  }

  /**
   * Schedules a sync of one day directory, and of every day whose last sync failed (a day that
   * finished while the store was down must not wait for a restart); a day already waiting is not
   * queued twice.
   */
  void submit(Path dayDir) {
    for (Path failed : failedDays) {
      if (!failed.equals(dayDir)) {
        queue(failed);
      }
    }
    queue(dayDir);
  }

  private void queue(Path dayDir) {
    if (closing || !queued.add(dayDir)) {
      return;
    }
    try {
      executor.execute(() -> {
        queued.remove(dayDir);
        syncDay(dayDir);
      });
    } catch (RejectedExecutionException e) {
      queued.remove(dayDir);
    }
  }

  /** Uploads what the store lacks for one day; true when everything is there. */
  boolean syncDay(Path dayDir) {
    String date = dayDir.getFileName().toString();
    Optional<Manifest> manifest;
    try {
      manifest = Manifest.read(dayDir, java.time.Instant.now());
    } catch (IOException e) {
      fail(dayDir, "cannot read " + dayDir.resolve(ArchiveFormat.MANIFEST) + ": " + e.getMessage());
      return false;
    }
    if (manifest.isEmpty()) {
      return true;
    }
    LocalDate day = LocalDate.parse(date);
    try {
      for (Manifest.FileEntry f : manifest.get().files()) {
        Path file = dayDir.resolve(f.name());
        if (!Files.exists(file)) {
          continue; // the spool was cleaned after an earlier upload
        }
        ensure(ArchiveFormat.key(feed, day, f.name()), file, f.bytes(), f.sha256());
      }
      Path m = dayDir.resolve(ArchiveFormat.MANIFEST);
      ensure(ArchiveFormat.key(feed, day, ArchiveFormat.MANIFEST), m, Files.size(m), Repair.sha256(m));
      failedDays.remove(dayDir);
      if (failedDays.isEmpty()) {
        lastFailure = null; // healthy only when no day is left behind
      }
      return true;
    } catch (StorageException e) {
      fail(dayDir, e.getMessage());
      return false;
    } catch (IOException e) {
      fail(dayDir, "cannot read " + dayDir + " for upload: " + e.getMessage());
      return false;
    }
  }

  private void ensure(String key, Path file, long size, String sha256) throws IOException {
    String id = key + "@" + sha256;
    if (verified.contains(id)) {
      return;
    }
    Optional<ObjectStore.StoredObject> there = withRetry(key, () -> store.head(key));
    // An object without checksum metadata is not ours (or not verified): replace it rather than trust its size.
    if (there.isPresent() && there.get().size() == size
        && there.get().sha256() != null && there.get().sha256().equalsIgnoreCase(sha256)) {
      verified.add(id);
      return;
    }
    withRetry(key, () -> store.put(key, file));
    verified.add(id);
    metrics.uploaded();
    LOG.info("uploaded {} to {}", key, store.describe());
  }

  private interface StoreCall<T> {
    T call();
  }

  private <T> T withRetry(String key, StoreCall<T> call) {
    long backoff = FIRST_BACKOFF.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (StorageException e) {
        if (!e.retriable() || attempt >= ATTEMPTS) {
          throw e;
        }
        LOG.warn("upload of {} failed (attempt {}/{}), retrying in {} ms: {}", key, attempt, ATTEMPTS, backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      }
    }
  }

  private void fail(Path dayDir, String why) {
    failedDays.add(dayDir);
    lastFailure = why;
    metrics.uploadFailure();
    LOG.error("upload to {} failed; retried at the next rotation, within {} s and at start: {}", store.describe(),
        RETRY_EVERY.toSeconds(), why);
  }

  /** Waits up to {@code timeout} for queued uploads, then stops. */
  void close(Duration timeout) {
    closing = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("uploads still running after {}; they resume at the next start", timeout);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
