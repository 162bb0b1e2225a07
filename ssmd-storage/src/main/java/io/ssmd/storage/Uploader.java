package io.ssmd.storage;

import io.ssmd.storage.ObjectStore.StoredObject;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads finished files to an {@link ObjectStore} with verification, retrying retriable failures
 * with jittered exponential backoff and skipping files the store already holds with the same size and
 * SHA-256, so running it again after a restart uploads only what is missing.
 *
 * <p>Every file gets an {@link Outcome}; one failing file does not stop the others. A non-retriable
 * failure (bad credentials, missing bucket, missing source file) is not retried.
 *
 * <p>"Already present" is decided from the store's size and SHA-256 before the first upload attempt
 * only: once an upload of this run has failed verification, the object is not trusted again until
 * a later upload verifies it.
 */
public final class Uploader {
  private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);

  /** One file to upload under a key. */
  public record Upload(String key, Path file) {
    /** Both fields are required. */
    public Upload {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("upload key is missing");
      }
      if (file == null) {
        throw new IllegalArgumentException("upload file for key " + key + " is missing");
      }
    }
  }

  /**
   * How often and how patiently to retry.
   *
   * @param maxAttempts    attempts per file, including the first (at least 1)
   * @param initialBackoff pause before the second attempt; doubled for each further attempt
   * @param maxBackoff     cap on the pause
   */
  public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    /** Five attempts, 200 ms doubling up to 10 s: rides out a restarting S3 server without stalling rotations for long. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10));

    /** Validates every field. */
    public RetryPolicy {
      List<String> problems = new ArrayList<>();
      if (maxAttempts < 1) {
        problems.add("maxAttempts must be at least 1 (got " + maxAttempts + ")");
      }
      if (initialBackoff == null || initialBackoff.isNegative()) {
        problems.add("initialBackoff must be zero or positive");
      }
      if (maxBackoff == null || initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
        problems.add("maxBackoff must be at least initialBackoff");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid retry policy: " + String.join("; ", problems));
      }
    }

    /**
     * The pause after failed attempt {@code attempt} (1-based): half the exponential delay plus a random
     * share of the other half, so that several uploaders that failed together do not retry in lockstep.
     */
    Duration backoff(int attempt, double random) {
      long base = initialBackoff.toMillis();
      long exp = attempt >= 31 ? Long.MAX_VALUE : base << (attempt - 1);
      long capped = exp < 0 || exp > maxBackoff.toMillis() ? maxBackoff.toMillis() : exp;
      return Duration.ofMillis(capped / 2 + (long) (random * (capped - capped / 2)));
    }
  }

  /** What happened to one file. */
  public sealed interface Outcome permits Uploaded, AlreadyPresent, Failed {
    /** The object key. */
    String key();

    /** The local file. */
    Path file();
  }

  /** Uploaded and verified. */
  public record Uploaded(String key, Path file, StoredObject object, int attempts) implements Outcome {}

  /** The store already held this content (same size and SHA-256); nothing was sent. */
  public record AlreadyPresent(String key, Path file, StoredObject object) implements Outcome {}

  /**
   * Not uploaded.
   *
   * @param reason    the last error, naming the store and key
   * @param retriable true if a later run may succeed (network, server, full disk), false if something
   *                  must be fixed first (credentials, bucket, missing file)
   * @param attempts  upload attempts made
   */
  public record Failed(String key, Path file, String reason, boolean retriable, int attempts) implements Outcome {}

  /** The outcomes of one {@link #upload(List)} call, in input order. */
  public record Report(List<Outcome> outcomes) {
    /** Copies the list. */
    public Report {
      outcomes = List.copyOf(outcomes);
    }

    /** Files uploaded in this run. */
    public List<Uploaded> uploaded() {
      return select(Uploaded.class);
    }

    /** Files skipped because the store already had them. */
    public List<AlreadyPresent> alreadyPresent() {
      return select(AlreadyPresent.class);
    }

    /** Files that could not be uploaded. */
    public List<Failed> failed() {
      return select(Failed.class);
    }

    /** True when every file is in the store, verified. */
    public boolean allStored() {
      return failed().isEmpty();
    }

    /** Bytes sent in this run. */
    public long bytesUploaded() {
      return uploaded().stream().mapToLong(u -> u.object().size()).sum();
    }

    private <T extends Outcome> List<T> select(Class<T> type) {
      return outcomes.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** Pauses between attempts; a seam so tests need not wait. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final ObjectStore store;
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  /** An uploader with {@link RetryPolicy#DEFAULT}. */
  public Uploader(ObjectStore store) {
    this(store, RetryPolicy.DEFAULT);
  }

  /** An uploader into {@code store} retrying as {@code policy} says. */
  public Uploader(ObjectStore store, RetryPolicy policy) {
    this(store, policy, d -> Thread.sleep(d.toMillis()));
  }

  Uploader(ObjectStore store, RetryPolicy policy, Sleeper sleeper) {
    this.store = store;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  /** Uploads each file in turn; never throws for a single file's failure. */
  public Report upload(List<Upload> uploads) {
    List<Outcome> outcomes = new ArrayList<>(uploads.size());
    for (Upload u : uploads) {
      if (Thread.currentThread().isInterrupted()) {
        outcomes.add(new Failed(u.key(), u.file(), "interrupted before this file was uploaded", true, 0));
        continue;
      }
      outcomes.add(upload(u));
    }
    Report report = new Report(outcomes);
    LOG.info("upload to {}: {} uploaded ({} bytes), {} already present, {} failed", store.describe(),
        report.uploaded().size(), report.bytesUploaded(), report.alreadyPresent().size(), report.failed().size());
    return report;
  }

  /** Uploads one file. */
  public Outcome upload(Upload u) {
    FileDigest local;
    try {
      local = FileDigest.of(u.file());
    } catch (NoSuchFileException e) {
      return failed(u, "local file " + u.file() + " does not exist", false, 0);
    } catch (IOException e) {
      return failed(u, "cannot read local file " + u.file() + ": " + e.getMessage(), true, 0);
    }
    int attempt = 0;
    boolean checkedExisting = false;
    while (true) {
      attempt++;
      try {
        if (!checkedExisting) {
          Optional<StoredObject> existing = store.head(u.key());
          checkedExisting = true;
          if (existing.isPresent() && matches(existing.get(), local)) {
            LOG.debug("{} already in {} with sha256 {}; not uploading", u.key(), store.describe(), local.sha256());
            return new AlreadyPresent(u.key(), u.file(), existing.get());
          }
        }
        StoredObject stored = store.put(u.key(), u.file());
        if (stored.size() != local.size() || stored.sha256() != null && !stored.sha256().equals(local.sha256())) {
          // the file changed between hashing and upload: what is stored is verified, but not what the caller meant
          throw new StorageException(store.describe() + ": " + u.key() + " changed while it was uploaded (stored "
              + stored.size() + " bytes sha256 " + stored.sha256() + ", read " + local.size() + " bytes sha256 "
              + local.sha256() + ")", true);
        }
        LOG.info("uploaded {} to {} ({} bytes, attempt {})", u.key(), store.describe(), stored.size(), attempt);
        return new Uploaded(u.key(), u.file(), stored, attempt);
      } catch (StorageException e) {
        if (!e.retriable()) {
          return failed(u, e.getMessage(), false, attempt);
        }
        if (attempt >= policy.maxAttempts()) {
          return failed(u, e.getMessage() + " (gave up after " + attempt + " attempts)", true, attempt);
        }
        Duration pause = policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
        LOG.warn("upload of {} to {} failed (attempt {} of {}), retrying in {} ms: {}", u.key(), store.describe(),
            attempt, policy.maxAttempts(), pause.toMillis(), e.getMessage());
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return failed(u, "interrupted while waiting to retry: " + e.getMessage(), true, attempt);
        }
      }
    }
  }

  private static boolean matches(StoredObject existing, FileDigest local) {
    return existing.size() == local.size() && local.sha256().equalsIgnoreCase(String.valueOf(existing.sha256()));
  }

  private Failed failed(Upload u, String reason, boolean retriable, int attempts) {
    LOG.warn("upload of {} to {} failed{}: {}", u.key(), store.describe(), retriable ? "" : " (not retriable)", reason);
    return new Failed(u.key(), u.file(), reason, retriable, attempts);
  }
}
