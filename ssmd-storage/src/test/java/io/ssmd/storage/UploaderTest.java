package io.ssmd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.storage.Uploader.AlreadyPresent;
import io.ssmd.storage.Uploader.Failed;
import io.ssmd.storage.Uploader.Outcome;
import io.ssmd.storage.Uploader.Report;
import io.ssmd.storage.Uploader.RetryPolicy;
import io.ssmd.storage.Uploader.Upload;
import io.ssmd.storage.Uploader.Uploaded;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class UploaderTest {
  private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(150));

  @TempDir Path tmp;

  /** A real local store that fails the first {@code failures} puts the way a store would. */
  private static final class FailingStore implements ObjectStore {
    final LocalObjectStore delegate;
    final AtomicInteger failures;
    final boolean retriable;
    final AtomicInteger puts = new AtomicInteger();

    FailingStore(LocalObjectStore delegate, int failures, boolean retriable) {
      this.delegate = delegate;
      this.failures = new AtomicInteger(failures);
      this.retriable = retriable;
    }

    @Override public String describe() {
      return delegate.describe();
    }

    @Override public StoredObject put(String key, Path file) {
      puts.incrementAndGet();
      if (failures.getAndDecrement() > 0) {
        throw new StorageException(describe() + ": injected failure for " + key, retriable);
      }
      return delegate.put(key, file);
    }

    @Override public Optional<StoredObject> head(String key) {
      return delegate.head(key);
    }

    @Override public List<StoredObject> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override public InputStream get(String key) {
      return delegate.get(key);
    }

    @Override public void close() {
      delegate.close();
    }
  }

  private Path file(String name, String content) throws Exception {
    Path f = tmp.resolve("archive").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }

  @Test
  void uploadsEveryFileAndSkipsThemOnTheNextRun() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("bucket"));
    List<Upload> uploads = List.of(
        new Upload("kalshi/2026-11-22/0000.jsonl.gz", file("0000.jsonl.gz", "a")),
        new Upload("kalshi/2026-11-22/0015.jsonl.gz", file("0015.jsonl.gz", "bb")),
        new Upload("kalshi/2026-11-22/manifest.json", file("manifest.json", "{}")));

    Report first = new Uploader(store, POLICY).upload(uploads);
    Report second = new Uploader(store, POLICY).upload(uploads);

    assertThat(first.uploaded()).extracting(Uploaded::key).containsExactly(
        "kalshi/2026-11-22/0000.jsonl.gz", "kalshi/2026-11-22/0015.jsonl.gz", "kalshi/2026-11-22/manifest.json");
    assertThat(first.bytesUploaded()).isEqualTo(5);
    assertThat(first.allStored()).isTrue();
    assertThat(second.alreadyPresent()).hasSize(3);
    assertThat(second.uploaded()).isEmpty();
    assertThat(second.bytesUploaded()).isZero();
  }

  @Test
  void aChangedFileIsUploadedAgain() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("bucket"));
    Path manifest = file("manifest.json", "{\"files\":[]}");
    new Uploader(store, POLICY).upload(List.of(new Upload("f/manifest.json", manifest)));
    Files.writeString(manifest, "{\"files\":[1]}");

    Outcome outcome = new Uploader(store, POLICY).upload(new Upload("f/manifest.json", manifest));

    assertThat(outcome).isInstanceOf(Uploaded.class);
    assertThat(store.pathOf("f/manifest.json")).hasContent("{\"files\":[1]}");
  }

  @Test
  void retriesRetriableFailuresWithGrowingJitteredPauses() throws Exception {
    FailingStore store = new FailingStore(new LocalObjectStore(tmp.resolve("bucket")), 2, true);
    List<Duration> pauses = new ArrayList<>();

    Outcome outcome = new Uploader(store, POLICY, pauses::add).upload(new Upload("f/a", file("a", "abc")));

    assertThat(outcome).isInstanceOfSatisfying(Uploaded.class, u -> assertThat(u.attempts()).isEqualTo(3));
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(pauses.get(1)).isBetween(Duration.ofMillis(75), Duration.ofMillis(150));
  }

  @Test
  void givesUpAfterTheLastAttemptAndGoesOnWithTheNextFile() throws Exception {
    FailingStore store = new FailingStore(new LocalObjectStore(tmp.resolve("bucket")), 3, true);

    Report report = new Uploader(store, POLICY, d -> { }).upload(List.of(
        new Upload("f/a", file("a", "abc")), new Upload("f/b", file("b", "def"))));

    assertThat(report.failed()).singleElement().satisfies(f -> {
      assertThat(f.key()).isEqualTo("f/a");
      assertThat(f.attempts()).isEqualTo(3);
      assertThat(f.retriable()).isTrue();
      assertThat(f.reason()).contains("injected failure for f/a").endsWith("(gave up after 3 attempts)");
    });
    assertThat(report.uploaded()).extracting(Uploaded::key).containsExactly("f/b");
    assertThat(report.allStored()).isFalse();
  }

  @Test
  void doesNotRetryANonRetriableFailure() throws Exception {
    FailingStore store = new FailingStore(new LocalObjectStore(tmp.resolve("bucket")), 1, false);
    List<Duration> pauses = new ArrayList<>();

    Outcome outcome = new Uploader(store, POLICY, pauses::add).upload(new Upload("f/a", file("a", "abc")));

    assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.retriable()).isFalse();
      assertThat(f.attempts()).isEqualTo(1);
    });
    assertThat(store.puts).hasValue(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aMissingLocalFileIsReportedAndTheOthersAreStillUploaded() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("bucket"));
    Path missing = tmp.resolve("archive/0000.jsonl.gz");

    Report report = new Uploader(store, POLICY).upload(List.of(
        new Upload("f/0000.jsonl.gz", missing), new Upload("f/0015.jsonl.gz", file("0015.jsonl.gz", "x"))));

    assertThat(report.outcomes()).hasSize(2);
    assertThat(report.outcomes().get(0)).isEqualTo(
        new Failed("f/0000.jsonl.gz", missing, "local file " + missing + " does not exist", false, 0));
    assertThat(report.outcomes().get(1)).isInstanceOf(Uploaded.class);
  }

  @Test
  void anInterruptStopsRetryingAndLeavesTheRestForTheNextRun() throws Exception {
    FailingStore store = new FailingStore(new LocalObjectStore(tmp.resolve("bucket")), 1, true);
    Uploader uploader = new Uploader(store, POLICY, d -> {
      throw new InterruptedException();
    });
    try {
      Report report = uploader.upload(List.of(new Upload("f/a", file("a", "1")), new Upload("f/b", file("b", "2"))));

      assertThat(report.failed()).extracting(Failed::key).containsExactly("f/a", "f/b");
      assertThat(report.failed()).allMatch(Failed::retriable);
      assertThat(report.failed().get(1).reason()).contains("interrupted before");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anObjectStoredWithOtherContentIsNotTakenAsPresent() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("bucket"));
    store.put("f/a", file("other", "xyz"));

    Outcome outcome = new Uploader(store, POLICY).upload(new Upload("f/a", file("a", "abc")));

    assertThat(outcome).isInstanceOf(Uploaded.class).isNotInstanceOf(AlreadyPresent.class);
    assertThat(store.pathOf("f/a")).hasContent("abc");
  }

  @Test
  void backoffDoublesFromTheInitialPauseUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(10));

    assertThat(p.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoff(1, 0.999999)).isEqualTo(Duration.ofMillis(199));
    assertThat(p.backoff(3, 0.0)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoff(7, 0.5)).isEqualTo(Duration.ofMillis(7500));
    assertThat(p.backoff(40, 0.0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.backoff(64, 1.0)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRetryPolicyReportsEveryProblem() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(-1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts must be at least 1 (got 0)")
        .hasMessageContaining("initialBackoff must be zero or positive")
        .hasMessageContaining("maxBackoff must be at least initialBackoff");
  }
}
