package io.ssmd.archiver;

import static io.ssmd.archiver.ArchiverTestSupport.FEED;
import static io.ssmd.archiver.ArchiverTestSupport.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.testkit.NatsServerProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ArchiverIT {
  @TempDir Path tmp;
  NatsServerProcess nats;
  Path root;
  Path bucket;

  @BeforeEach
  void startNats() {
    nats = NatsServerProcess.start();
    root = tmp.resolve("archive");
    bucket = tmp.resolve("bucket");
  }

  @AfterEach
  void stopNats() {
    nats.close();
  }

  ArchiverOptions.Builder options() {
    return ArchiverOptions.builder(nats.url(), STREAM, ArchiverTestSupport.ENV, FEED, root)
        .rotation(Duration.ofSeconds(2)).batchSize(100).fetchMaxWait(Duration.ofMillis(100));
  }

  static String scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void archivesEveryMessageOnceWithItsReceiveTimeAndUploadsVerifiedFiles() throws Exception {
    ArchiverTestSupport.createStream(nats.url());
    DirectoryObjectStore store = new DirectoryObjectStore(bucket);
    store.failNextPuts = 2; // retriable failures are retried with backoff
    PrometheusRegistry registry = new PrometheusRegistry();
    try (Connection c = ArchiverTestSupport.connect(nats.url())) {
      JetStream js = c.jetStream();
      for (long n = 1; n <= 500; n++) {
        ArchiverTestSupport.publish(js, n);
      }
      try (Archiver archiver = new Archiver(options().raw(store).build(), registry)) {
        assertThat(scrape(registry)).contains("ssmd_archiver_messages_total{feed=\"kraken\"} 0.0",
            "ssmd_archiver_bytes_written_total{bucket=\"raw\"} 0.0", "ssmd_archiver_gaps_total{feed=\"kraken\"} 0.0");
        archiver.start();
        for (long n = 501; n <= 1000; n++) {
          ArchiverTestSupport.publish(js, n);
        }
        ArchiverTestSupport.await(Duration.ofSeconds(20), "1000 archived", () -> archiver.status().lastWrittenSeq() == 1000);
        assertThat(archiver.readiness().notReadyReasons()).isEmpty();
        assertThat(archiver.status().consumerBound()).isTrue();
      }
    }
    List<ArchiveLine> lines = ArchiverTestSupport.readAll(root);
    assertThat(lines).extracting(ArchiveLine::natsSeq).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
    for (ArchiveLine l : lines) {
      assertThat(new String(l.frame(), StandardCharsets.UTF_8)).isEqualTo(ArchiverTestSupport.payload(l.natsSeq()));
      assertThat(l.receivedAtMicros()).isEqualTo(ArchiverTestSupport.receivedAtNanos(l.natsSeq()) / 1000);
    }
    ArchiverTestSupport.assertManifestsListEveryFile(root);
    String metrics = scrape(registry);
    assertThat(metrics).contains("ssmd_archiver_messages_total{feed=\"kraken\"} 1000.0");
    // every finished file and each manifest is in the bucket, byte for byte
    for (LocalDate day : ArchiverTestSupport.days(root)) {
      Path dir = ArchiveFormat.dayDir(root, FEED, day);
      Manifest m = Manifest.parse(Files.readAllBytes(dir.resolve(ArchiveFormat.MANIFEST)));
      for (Manifest.FileEntry f : m.files()) {
        assertThat(store.head(ArchiveFormat.key(FEED, day, f.name()))).get()
            .extracting(o -> o.sha256()).isEqualTo(f.sha256());
      }
      assertThat(store.head(ArchiveFormat.key(FEED, day, ArchiveFormat.MANIFEST))).get()
          .extracting(o -> o.sha256()).isEqualTo(Repair.sha256(dir.resolve(ArchiveFormat.MANIFEST)));
    }

    // resume: one object lost from the bucket is uploaded again, nothing else is sent
    LocalDate day = ArchiverTestSupport.days(root).get(0);
    String lostKey = ArchiveFormat.key(FEED, day, Manifest.parse(Files.readAllBytes(
        ArchiveFormat.dayDir(root, FEED, day).resolve(ArchiveFormat.MANIFEST))).files().get(0).name());
    Files.delete(bucket.resolve(lostKey));
    DirectoryObjectStore again = new DirectoryObjectStore(bucket);
    try (Archiver archiver = new Archiver(options().raw(again).build(), new PrometheusRegistry())) {
      archiver.start();
      ArchiverTestSupport.await(Duration.ofSeconds(10), "re-upload of " + lostKey, () -> Files.exists(bucket.resolve(lostKey)));
    }
    assertThat(again.puts.get()).isEqualTo(1);
  }

  @Test
  void redeliveredMessagesAreNotWrittenTwiceAcrossARestart() throws Exception {
    ArchiverTestSupport.createStream(nats.url());
    try (Connection c = ArchiverTestSupport.connect(nats.url())) {
      JetStream js = c.jetStream();
      for (long n = 1; n <= 300; n++) {
        ArchiverTestSupport.publish(js, n);
      }
      try (Archiver a = new Archiver(options().build(), new PrometheusRegistry())) {
        a.start();
        ArchiverTestSupport.await(Duration.ofSeconds(10), "300 archived", () -> a.status().lastWrittenSeq() == 300);
      }
      // the consumer is told to start over, as if every ack had been lost
      c.jetStreamManagement().deleteConsumer(STREAM, "ssmd-archiver-" + FEED);
      for (long n = 301; n <= 400; n++) {
        ArchiverTestSupport.publish(js, n);
      }
      try (Archiver a = new Archiver(options().build(), new PrometheusRegistry())) {
        a.start();
        ArchiverTestSupport.await(Duration.ofSeconds(10), "400 archived", () -> a.status().lastWrittenSeq() == 400);
        assertThat(a.status().gaps()).isZero();
      }
    }
    assertThat(ArchiverTestSupport.readAll(root)).extracting(ArchiveLine::natsSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
    ArchiverTestSupport.assertManifestsListEveryFile(root);
  }

  @Test
  void refusesToStartWhenTheStreamDoesNotExist() {
    try (Archiver a = new Archiver(options().build(), new PrometheusRegistry())) {
      assertThatThrownBy(a::start).isInstanceOf(ArchiverException.class)
          .hasMessage("stream TEST_KRAKEN does not exist on " + nats.url() + "; create it with `ssmd env apply` or fix the stream name");
    }
  }

  @Test
  void refusesToStartWhenTheFilterDoesNotCoverTheStream() {
    ArchiverTestSupport.createStream(nats.url());
    try (Archiver a = new Archiver(options().filter("test.kraken.json.trade.>").build(), new PrometheusRegistry())) {
      assertThatThrownBy(a::start).isInstanceOf(ArchiverException.class)
          .hasMessageStartingWith("filter test.kraken.json.trade.> does not cover stream TEST_KRAKEN subjects [test.kraken.>]")
          .hasMessageNotContaining("\n");
    }
    try (Archiver a = new Archiver(options().filter("prod.kraken.>").build(), new PrometheusRegistry())) {
      assertThatThrownBy(a::start).isInstanceOf(ArchiverException.class).hasMessageContaining("does not cover");
    }
  }

  @Test
  void isNotReadyWhileNatsIsDownAndCatchesUpAfter() throws Exception {
    ArchiverTestSupport.createStream(nats.url());
    try (Archiver a = new Archiver(options().build(), new PrometheusRegistry())) {
      a.start();
      assertThat(a.readiness().notReadyReasons()).isEmpty();
      nats.stop();
      ArchiverTestSupport.await(Duration.ofSeconds(10), "not ready", () -> !a.readiness().notReadyReasons().isEmpty());
      assertThat(a.readiness().notReadyReasons()).containsExactly("not connected to NATS at " + nats.url());
      nats.startAgain();
      try (Connection c = ArchiverTestSupport.connect(nats.url())) {
        JetStream js = c.jetStream();
        for (long n = 1; n <= 50; n++) {
          ArchiverTestSupport.publish(js, n);
        }
      }
      ArchiverTestSupport.await(Duration.ofSeconds(15), "50 archived", () -> a.status().lastWrittenSeq() == 50);
      assertThat(a.readiness().notReadyReasons()).isEmpty();
    }
  }
}
