package io.ssmd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ssmd.storage.ObjectStore.StoredObject;
import io.ssmd.storage.Uploader.AlreadyPresent;
import io.ssmd.storage.Uploader.Failed;
import io.ssmd.storage.Uploader.Report;
import io.ssmd.storage.Uploader.RetryPolicy;
import io.ssmd.storage.Uploader.Upload;
import io.ssmd.storage.Uploader.Uploaded;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3ObjectStore} and {@link Uploader} against s3proxy running in this JVM. */
@Timeout(60)
class S3ObjectStoreIT {
  private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static InProcessS3 s3;

  @TempDir Path dir;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = new InProcessS3();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void newBucket(TestInfo info) {
    bucket = "ssmd-it-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
  }

  private S3ObjectStore store() {
    return new S3ObjectStore(s3.options(bucket), "storage.buckets.raw");
  }

  private Path file(String name, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, bytes);
    return f;
  }

  @Test
  void uploadsAnObjectAndVerifiesSizeAndSha256() throws Exception {
    Path f = file("0000.jsonl.gz", 100_000, 1);
    FileDigest digest = FileDigest.of(f);
    try (S3ObjectStore store = store()) {
      StoredObject stored = store.put("kalshi/2026-11-22/0000.jsonl.gz", f);

      assertThat(stored).isEqualTo(new StoredObject("kalshi/2026-11-22/0000.jsonl.gz", 100_000, digest.sha256()));
      assertThat(store.head("kalshi/2026-11-22/0000.jsonl.gz")).contains(stored);
      assertThat(store.head("kalshi/2026-11-22/0015.jsonl.gz")).isEmpty();
      try (InputStream in = store.get("kalshi/2026-11-22/0000.jsonl.gz")) {
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(f));
      }
      assertThat(store.list("kalshi/2026-11-22/"))
          .containsExactly(new StoredObject("kalshi/2026-11-22/0000.jsonl.gz", 100_000, null));
      assertThat(store.list("kraken/")).isEmpty();
      assertThat(store.describe()).isEqualTo("s3://" + bucket + " (" + s3.endpoint() + ")");
    }
  }

  @Test
  void uploadsAFileLargerThanOnePartAsMultipart() throws Exception {
    Path f = file("big.jsonl.gz", 12 * 1024 * 1024 + 123, 2);
    try (S3ObjectStore store = store()) {
      StoredObject stored = store.put("kalshi/2026-11-22/big.jsonl.gz", f);

      assertThat(stored.size()).isEqualTo(Files.size(f));
      assertThat(stored.sha256()).isEqualTo(FileDigest.of(f).sha256());
      try (InputStream in = store.get("kalshi/2026-11-22/big.jsonl.gz")) {
        assertThat(FileDigest.of(in).sha256()).isEqualTo(stored.sha256());
      }
    }
  }

  @Test
  void uploaderResumesWithoutUploadingWhatIsAlreadyThere() throws Exception {
    List<Upload> uploads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = String.format("%02d00.jsonl.gz", i);
      uploads.add(new Upload("kalshi/2026-11-22/" + name, file(name, 10_000 + i, i)));
    }
    try (S3ObjectStore store = store()) {
      // a first run that "crashed" after two files
      Report partial = new Uploader(store, FAST).upload(uploads.subList(0, 2));
      assertThat(partial.uploaded()).hasSize(2);

      Report resumed = new Uploader(store, FAST).upload(uploads);
      assertThat(resumed.outcomes()).hasSize(5);
      assertThat(resumed.alreadyPresent()).extracting(AlreadyPresent::key)
          .containsExactly(uploads.get(0).key(), uploads.get(1).key());
      assertThat(resumed.uploaded()).extracting(Uploaded::key)
          .containsExactly(uploads.get(2).key(), uploads.get(3).key(), uploads.get(4).key());

      Report again = new Uploader(store, FAST).upload(uploads);
      assertThat(again.alreadyPresent()).hasSize(5);
      assertThat(again.bytesUploaded()).isZero();
      for (Upload u : uploads) {
        assertThat(s3.writesOf(bucket, u.key())).as(u.key()).isEqualTo(1);
      }
    }
  }

  @Test
  void anObjectTheServerTruncatedFailsVerification() throws Exception {
    Path f = file("t.jsonl.gz", 50_000, 3);
    s3.arm("feed/t.jsonl.gz", InProcessS3.Fault.TRUNCATE);
    try (S3ObjectStore store = store()) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("feed/t.jsonl.gz", f));
      assertThat(e.getMessage()).contains("verification of feed/t.jsonl.gz after upload failed")
          .contains("size 25000 bytes, expected 50000");
      assertThat(e.retriable()).isTrue();

      Report report = new Uploader(store, FAST).upload(List.of(new Upload("feed/t.jsonl.gz", f)));
      assertThat(report.failed()).singleElement().satisfies(failed -> {
        assertThat(failed.attempts()).isEqualTo(4);
        assertThat(failed.retriable()).isTrue();
        assertThat(failed.reason()).contains("verification").contains("gave up after 4 attempts");
      });
    }
  }

  @Test
  void anObjectWithAlteredBytesOfTheSameSizeFailsVerificationByItsEtag() throws Exception {
    Path f = file("x.jsonl.gz", 50_000, 4);
    s3.arm("feed/x.jsonl.gz", InProcessS3.Fault.FLIP_BYTE);
    try (S3ObjectStore store = store()) {
      assertThatThrownBy(() -> store.put("feed/x.jsonl.gz", f))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("is not the MD5 of the file")
          .hasMessageNotContaining("size");
    }
  }

  @Test
  void aShortObjectLeftInTheBucketIsUploadedAgain() throws Exception {
    Path f = file("s.jsonl.gz", 40_000, 5);
    FileDigest digest = FileDigest.of(f);
    try (S3ObjectStore store = store()) {
      store.put("feed/s.jsonl.gz", f);
      // a broken copy that even claims the right checksum: the size gives it away
      byte[] shortCopy = java.util.Arrays.copyOf(Files.readAllBytes(f), 1000);
      s3.overwrite(bucket, "feed/s.jsonl.gz", shortCopy, Map.of("sha256", digest.sha256()));
      assertThat(store.head("feed/s.jsonl.gz")).get().extracting(StoredObject::size).isEqualTo(1000L);

      Report report = new Uploader(store, FAST).upload(List.of(new Upload("feed/s.jsonl.gz", f)));

      assertThat(report.uploaded()).singleElement().extracting(Uploaded::attempts).isEqualTo(1);
      assertThat(store.head("feed/s.jsonl.gz")).contains(new StoredObject("feed/s.jsonl.gz", 40_000, digest.sha256()));
    }
  }

  @Test
  void anObjectWithoutChecksumMetadataIsUploadedAgain() throws Exception {
    Path f = file("m.jsonl.gz", 4_000, 6);
    try (S3ObjectStore store = store()) {
      s3.overwrite(bucket, "feed/m.jsonl.gz", Files.readAllBytes(f), Map.of());
      assertThat(store.head("feed/m.jsonl.gz")).get().extracting(StoredObject::sha256).isNull();

      Report report = new Uploader(store, FAST).upload(List.of(new Upload("feed/m.jsonl.gz", f)));

      assertThat(report.uploaded()).hasSize(1);
      assertThat(store.head("feed/m.jsonl.gz").orElseThrow().sha256()).isEqualTo(FileDigest.of(f).sha256());
    }
  }

  @Test
  void serverUnavailableIsRetriedUntilTheUploadSucceeds() throws Exception {
    Path f = file("u.jsonl.gz", 3_000, 7);
    s3.failWrites("feed/u.jsonl.gz", 2);
    try (S3ObjectStore store = store()) {
      List<Duration> pauses = new ArrayList<>();
      Uploader uploader = new Uploader(store, new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1)), pauses::add);

      Report report = uploader.upload(List.of(new Upload("feed/u.jsonl.gz", f)));

      assertThat(report.uploaded()).singleElement().extracting(Uploaded::attempts).isEqualTo(3);
      assertThat(pauses).hasSize(2);
      assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }
  }

  @Test
  void aServerErrorIsClassifiedRetriable() throws Exception {
    Path f = file("r.jsonl.gz", 3_000, 8);
    s3.failWrites("feed/r.jsonl.gz", 1);
    try (S3ObjectStore store = store()) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("feed/r.jsonl.gz", f));
      assertThat(e.retriable()).isTrue();
      assertThat(e.getMessage()).contains("cannot upload feed/r.jsonl.gz").contains("503");
    }
  }

  @Test
  void aWrongSecretKeyIsNotRetriedAndSaysWhatToCheck() throws Exception {
    Path f = file("w.jsonl.gz", 3_000, 9);
    String wrongSecret = "not-the-secret-xyz";
    S3Options bad = S3Options.pathStyle(s3.endpoint(), bucket, InProcessS3.ACCESS_KEY, wrongSecret);
    try (S3ObjectStore store = new S3ObjectStore(bad, "storage.buckets.raw")) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("feed/w.jsonl.gz", f));
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains("secret key");
      assertThat(stackTraceOf(e)).doesNotContain(wrongSecret).doesNotContain(InProcessS3.SECRET_KEY);

      StorageException onHead = catchThrowableOfType(StorageException.class, () -> store.head("feed/w.jsonl.gz"));
      assertThat(onHead.retriable()).isFalse();
      assertThat(onHead.getMessage()).containsAnyOf("secret key", "access denied");

      List<Duration> pauses = new ArrayList<>();
      Report report = new Uploader(store, FAST, pauses::add).upload(List.of(new Upload("feed/w.jsonl.gz", f)));
      assertThat(report.failed()).singleElement().satisfies(failed -> {
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.attempts()).isEqualTo(1);
      });
      assertThat(pauses).isEmpty();
    }
  }

  @Test
  void anUnknownAccessKeyIsNotRetriedAndSaysWhatToCheck() throws Exception {
    Path f = file("k.jsonl.gz", 3_000, 10);
    S3Options bad = S3Options.pathStyle(s3.endpoint(), bucket, "nobody", InProcessS3.SECRET_KEY);
    try (S3ObjectStore store = new S3ObjectStore(bad)) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("feed/k.jsonl.gz", f));
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains("access key");
      assertThat(stackTraceOf(e)).doesNotContain(InProcessS3.SECRET_KEY);
    }
  }

  @Test
  void aMissingBucketIsReportedWithWhatToDo() throws Exception {
    Path f = file("b.jsonl.gz", 3_000, 11);
    S3Options missing = s3.options("ssmd-raw");
    String expected = "bucket ssmd-raw does not exist at " + s3.endpoint()
        + "; create it (ssmd env apply) or fix storage.buckets.raw";
    try (S3ObjectStore store = new S3ObjectStore(missing, "storage.buckets.raw")) {
      assertThat(catchThrowableOfType(StorageException.class, () -> store.put("feed/b.jsonl.gz", f)))
          .hasMessage(expected)
          .matches(e -> !e.retriable());
      assertThat(catchThrowableOfType(StorageException.class, () -> store.head("feed/b.jsonl.gz")))
          .hasMessage(expected);
      assertThat(catchThrowableOfType(StorageException.class, () -> store.list("feed/")))
          .hasMessage(expected);
    }
  }

  @Test
  void ensureBucketCreatesAMissingBucketOnce() throws Exception {
    Path f = file("e.jsonl.gz", 3_000, 12);
    try (S3ObjectStore store = new S3ObjectStore(s3.options("ssmd-created-" + BUCKETS.incrementAndGet()))) {
      assertThat(store.bucketExists()).isFalse();
      assertThat(store.ensureBucket()).isTrue();
      assertThat(store.ensureBucket()).isFalse();
      assertThat(store.bucketExists()).isTrue();
      assertThat(store.put("feed/e.jsonl.gz", f).size()).isEqualTo(3_000);
    }
  }

  @Test
  void readingAMissingObjectIsAClearNonRetriableError() {
    try (S3ObjectStore store = store()) {
      assertThatThrownBy(() -> store.get("feed/none.jsonl.gz"))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("no object feed/none.jsonl.gz")
          .matches(e -> !((StorageException) e).retriable());
    }
  }

  @Test
  void anUnreachableEndpointIsRetriable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port);
    try (S3ObjectStore store = new S3ObjectStore(S3Options.pathStyle(closed, bucket, "a", "b"))) {
      StorageException e = catchThrowableOfType(StorageException.class, () -> store.head("feed/x.jsonl.gz"));
      assertThat(e.retriable()).isTrue();
      assertThat(e.getMessage()).contains("cannot reach " + closed);
    }
  }

  @Test
  void keysAreCheckedBeforeAnythingIsSent() throws Exception {
    Path f = file("k.json", 10, 13);
    try (S3ObjectStore store = store()) {
      assertThatThrownBy(() -> store.put("../escape.json", f))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("invalid object key '../escape.json'");
    }
  }

  private static String stackTraceOf(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
