package io.ssmd.archiver;

import static io.ssmd.archiver.ArchiverTestSupport.FEED;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.storage.ObjectStore.StoredObject;
import io.ssmd.storage.ObjectStores;
import io.ssmd.storage.S3ObjectStore;
import io.ssmd.testkit.NatsServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link Archiver} uploading to an S3 bucket served in this JVM by s3proxy through
 * {@link S3ObjectStore}: verification of what lands in the bucket, resume after a restart, and an
 * S3 outage during which archiving goes on locally.
 */
@Timeout(60)
class ArchiverS3IT {
  private static final String BUCKET = "ssmd-raw";
  private static final String FAILURES = ArchiverMetrics.UPLOAD_FAILURES + "{bucket=\"raw\"}";
  private static final String UPLOADED = ArchiverMetrics.FILES_UPLOADED + "{bucket=\"raw\"}";

  @TempDir Path tmp;
  NatsServerProcess nats;
  InProcessS3 s3;
  Path root;
  Connection publisher;
  JetStream js;
  long published;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServerProcess.start();
    s3 = new InProcessS3();
    s3.createBucket(BUCKET);
    root = tmp.resolve("archive");
    ArchiverTestSupport.createStream(nats.url());
    publisher = ArchiverTestSupport.connect(nats.url());
    js = publisher.jetStream();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (publisher != null) {
        publisher.close();
      }
      if (s3 != null) {
        s3.close();
      }
    } finally {
      nats.close();
    }
  }

  private S3ObjectStore store() {
    return ObjectStores.s3(s3.options(BUCKET), "storage.buckets.raw");
  }

  private ArchiverOptions options(S3ObjectStore raw) {
    return ArchiverOptions.builder(nats.url(), ArchiverTestSupport.STREAM, ArchiverTestSupport.ENV, FEED, root)
        .rotation(Duration.ofSeconds(2)).batchSize(100).fetchMaxWait(Duration.ofMillis(100)).raw(raw).build();
  }

  @Test
  void uploadsEveryFinishedFileAndManifestVerifiedAndResumesWithoutSendingAnythingTwice() throws Exception {
    try (S3ObjectStore raw = store(); Archiver archiver = new Archiver(options(raw), new PrometheusRegistry())) {
      archiver.start();
      publishUntil(Duration.ofSeconds(15), "two rotations", () -> archiver.status().filesWritten() >= 2);
      awaitArchived(archiver);
    }
    // closing finished the last file and waited for its upload
    Map<String, Path> archive = localObjects();
    assertThat(archive.keySet()).filteredOn(k -> k.endsWith(ArchiveFormat.SUFFIX)).hasSizeGreaterThanOrEqualTo(3);
    assertBucketHolds(archive);
    Map<String, Integer> writes = s3.writes(BUCKET);
    assertThat(writes.keySet()).containsExactlyInAnyOrderElementsOf(archive.keySet());
    archive.keySet().stream().filter(k -> k.endsWith(ArchiveFormat.SUFFIX))
        .forEach(k -> assertThat(writes.get(k)).as("writes of %s", k).isEqualTo(1));

    // while the archiver is down an object goes missing from the bucket
    String lost = archive.keySet().stream().filter(k -> k.endsWith(ArchiveFormat.SUFFIX)).findFirst().orElseThrow();
    s3.delete(BUCKET, lost);

    PrometheusRegistry registry = new PrometheusRegistry();
    try (S3ObjectStore raw = store(); Archiver archiver = new Archiver(options(raw), registry)) {
      archiver.start();
      ArchiverTestSupport.await(Duration.ofSeconds(15), "re-upload of " + lost, () -> s3.content(BUCKET, lost).isPresent());
    }
    assertThat(localObjects()).isEqualTo(archive);
    assertBucketHolds(archive);
    Map<String, Integer> expected = new TreeMap<>(writes);
    expected.merge(lost, 1, Integer::sum);
    assertThat(s3.writes(BUCKET)).as("writes per key after the restart").isEqualTo(expected);
    String metrics = ArchiverIT.scrape(registry);
    assertThat(counter(metrics, UPLOADED)).isEqualTo(1);
    assertThat(counter(metrics, FAILURES)).isZero();
  }

  @Test
  void keepsArchivingLocallyWhileS3IsDownAndUploadsEverythingWhenItIsBack() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (S3ObjectStore raw = store(); Archiver archiver = new Archiver(options(raw), registry)) {
      archiver.start();
      publishUntil(Duration.ofSeconds(15), "a first file in the bucket",
          () -> localObjects().keySet().stream().anyMatch(k -> k.endsWith(ArchiveFormat.SUFFIX) && inBucket(k)));
      // with the stream idle and the last file finished no upload can be under way when S3 goes
      awaitArchived(archiver);
      ArchiverTestSupport.await(Duration.ofSeconds(10), "the archive so far in the bucket",
          () -> archiver.status().currentFile() == null && localObjects().keySet().stream().allMatch(this::inBucket));
      assertThat(counter(ArchiverIT.scrape(registry), FAILURES)).isZero();

      s3.stop();
      long filesBefore = archiver.status().filesWritten();
      publishUntil(Duration.ofSeconds(20), "an upload failure and two more local files",
          () -> counter(scrape(registry), FAILURES) > 0 && archiver.status().filesWritten() >= filesBefore + 2);
      awaitArchived(archiver);
      assertThat(archiver.readiness().notReadyReasons()).anySatisfy(r -> assertThat(r).startsWith("last upload failed: "));
      String finishedDuringOutage = lastFile();
      assertThat(inBucket(finishedDuringOutage)).as("%s in the bucket during the outage", finishedDuringOutage).isFalse();

      s3.start();
      publishUntil(Duration.ofSeconds(20), "every finished file and manifest in the bucket",
          () -> localObjects().keySet().stream().allMatch(this::inBucket));
      awaitArchived(archiver);
      assertThat(archiver.readiness().notReadyReasons()).isEmpty();
    }
    assertThat(ArchiverTestSupport.readAll(root)).extracting(ArchiveLine::natsSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, published).boxed().toList());
    ArchiverTestSupport.assertManifestsListEveryFile(root);
    Map<String, Path> archive = localObjects();
    assertBucketHolds(archive);
    assertThat(s3.writes(BUCKET).keySet()).containsExactlyInAnyOrderElementsOf(archive.keySet());
    archive.keySet().stream().filter(k -> k.endsWith(ArchiveFormat.SUFFIX))
        .forEach(k -> assertThat(s3.writesOf(BUCKET, k)).as("writes of %s", k).isEqualTo(1));
    String metrics = ArchiverIT.scrape(registry);
    assertThat(counter(metrics, FAILURES)).isPositive();
    assertThat(counter(metrics, UPLOADED)).isEqualTo(s3.writes(BUCKET).values().stream().mapToInt(Integer::intValue).sum());
  }

  /** Publishes a few messages at a time until {@code condition} holds. */
  private void publishUntil(Duration timeout, String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      for (int i = 0; i < 5; i++) {
        published++;
        ArchiverTestSupport.publish(js, published);
      }
      Thread.sleep(25);
    }
  }

  private void awaitArchived(Archiver archiver) throws InterruptedException {
    long target = published;
    ArchiverTestSupport.await(Duration.ofSeconds(10), target + " archived", () -> archiver.status().lastWrittenSeq() == target);
  }

  /** Object key to local file of every finished file and every manifest of the archive. */
  private Map<String, Path> localObjects() {
    Map<String, Path> objects = new TreeMap<>();
    try {
      for (LocalDate day : ArchiverTestSupport.days(root)) {
        Path dir = ArchiveFormat.dayDir(root, FEED, day);
        Path manifest = dir.resolve(ArchiveFormat.MANIFEST);
        if (!Files.exists(manifest)) {
          continue;
        }
        for (Manifest.FileEntry f : Manifest.parse(Files.readAllBytes(manifest)).files()) {
          objects.put(ArchiveFormat.key(FEED, day, f.name()), dir.resolve(f.name()));
        }
        objects.put(ArchiveFormat.key(FEED, day, ArchiveFormat.MANIFEST), manifest);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read the archive at " + root, e);
    }
    return objects;
  }

  private String lastFile() {
    return localObjects().keySet().stream().filter(k -> k.endsWith(ArchiveFormat.SUFFIX)).reduce((a, b) -> b).orElseThrow();
  }

  /** True when the backing store holds exactly the local bytes under {@code key}. */
  private boolean inBucket(String key) {
    Path file = localObjects().get(key);
    if (file == null) {
      return false;
    }
    try {
      byte[] local = Files.readAllBytes(file);
      return s3.content(BUCKET, key).map(stored -> Arrays.equals(stored, local)).orElse(false);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /**
   * The bucket, as an S3 client sees it, holds exactly these objects, each with the local file's
   * size and SHA-256 (in its metadata and in the bytes it serves).
   */
  private void assertBucketHolds(Map<String, Path> objects) throws Exception {
    try (S3ObjectStore reader = store()) {
      assertThat(reader.list(FEED + "/")).extracting(StoredObject::key).containsExactlyElementsOf(objects.keySet());
      for (Map.Entry<String, Path> e : objects.entrySet()) {
        String key = e.getKey();
        byte[] local = Files.readAllBytes(e.getValue());
        assertThat(reader.head(key)).as(key).contains(new StoredObject(key, local.length, sha256(local)));
        try (InputStream in = reader.get(key)) {
          assertThat(sha256(in.readAllBytes())).as("sha256 of the bytes served for %s", key).isEqualTo(sha256(local));
        }
      }
    }
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String scrape(PrometheusRegistry registry) {
    try {
      return ArchiverIT.scrape(registry);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long counter(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("%s in%n%s", series, metrics).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
