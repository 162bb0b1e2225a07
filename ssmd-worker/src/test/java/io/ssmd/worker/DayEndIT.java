package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.archiver.InProcessS3;
import io.ssmd.archiver.Manifest;
import io.ssmd.archiver.TransportArchiver;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.worker.internal.QualityStore;
import io.ssmd.worker.workflows.DayEndWorkflow;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.Quality;
import io.ssmd.worker.workflows.StepStatus;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DayEnd end to end on the embedded server: frames captured through the memory transport and
 * archived by the real {@link TransportArchiver}, an embedded PostgreSQL, s3proxy in this JVM as the
 * S3 store, a local webhook receiver and a local SMTP server (GreenMail). The day's files land in
 * the raw bucket verified, Parquet in the normalized bucket, the quality report in PostgreSQL, and
 * the notification in both channels; a file damaged afterwards fails verification and is not uploaded.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DayEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENV = "kalshi-day";
  private static final String RAW = "ssmd-raw";
  private static final String NORMALIZED = "ssmd-normalized";

  @TempDir Path tmp;

  @Test
  void dayEndUploadsVerifiesExportsGradesStoresAndNotifies() throws Exception {
    Path archive = tmp.resolve("archive");
    long published = capture(archive);
    Path feedDir = archive.resolve("kalshi");
    List<Path> days;
    try (Stream<Path> s = Files.list(feedDir)) {
      days = s.sorted().toList();
    }
    // a capture across midnight UTC leaves two days; the last one is the one checked here
    Path dayDir = days.getLast();
    String date = dayDir.getFileName().toString();
    Manifest manifest = Manifest.parse(Files.readAllBytes(dayDir.resolve(ArchiveFormat.MANIFEST)));
    assertThat(manifest.files()).isNotEmpty();
    if (days.size() == 1) {
      assertThat(manifest.records()).isEqualTo(published);
    }

    Path secrets = tmp.resolve("s3");
    Files.createDirectories(secrets);
    Files.writeString(secrets.resolve("access_key"), InProcessS3.ACCESS_KEY);
    Files.writeString(secrets.resolve("secret_key"), InProcessS3.SECRET_KEY);
    int smtpPort = freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try (InProcessS3 s3 = new InProcessS3(); EmbeddedDatabase pg = EmbeddedDatabase.start();
        WorkerTests.Receiver webhook = new WorkerTests.Receiver()) {
      s3.createBucket(RAW);
      s3.createBucket(NORMALIZED);
      Path config = WorkerTests.configDir(tmp);
      WorkerTests.writeEnv(config, ENV, """
          name: %s
          feed: kalshi
          schema: v2
          keys:
            s3:
              type: s3_credentials
              fields: [access_key, secret_key]
              source: file:%s
          transport: {type: memory}
          storage:
            type: s3
            endpoint: %s
            buckets: {raw: %s, normalized: %s}
            credentials: s3
          archiver: {path: %s}
          """.formatted(ENV, secrets, s3.endpoint(), RAW, NORMALIZED, archive));
      String dbUrl = pg.jdbcUrl() + "?user=postgres";
      NotifySettings notify = new NotifySettings(Optional.of(webhook.url("/hook")), Optional.of("127.0.0.1"), smtpPort,
          "ssmd@example.com", List.of("ops@example.com"), Optional.empty(), Optional.empty(), false);
      WorkerSettings settings = WorkerSettings.embedded(config, tmp.resolve("data"), 0).withDatabaseUrl(dbUrl).withNotify(notify);
      try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry())) {
        DayClient days2 = new DayClient(worker.client(), worker.taskQueue());
        DayClient.Started started = days2.start(DayEndWorkflow.TYPE, new DayInput(ENV, date));
        DayResult r = days2.await(started.workflowId(), Duration.ofSeconds(90));

        assertThat(r.steps()).extracting(DayStep::name).containsExactly("verify", "upload", "export", "quality", "notify");
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.status()).as(s.name() + ": " + s.detail()).isEqualTo(StepStatus.OK));
        assertThat(r.ok()).isTrue();
        assertThat(step(r, "upload").detail()).startsWith((manifest.files().size() + 1) + " uploaded");

        // every file and the manifest are in the raw bucket with the content on disk
        for (Manifest.FileEntry f : manifest.files()) {
          byte[] stored = s3.content(RAW, "kalshi/" + date + "/" + f.name()).orElseThrow();
          assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored))).isEqualTo(f.sha256());
        }
        assertThat(s3.content(RAW, "kalshi/" + date + "/manifest.json")).isPresent();
        // Parquet per kind and the export manifest in the normalized bucket, accounting for every line
        byte[] em = s3.content(NORMALIZED, "kalshi/" + date + "/export-manifest.json").orElseThrow();
        JsonNode exportManifest = JSON.readTree(em);
        assertThat(exportManifest.path("lines_read").asLong()).isEqualTo(manifest.records());
        assertThat(s3.content(NORMALIZED, "kalshi/" + date + "/trade.parquet")).isPresent();
        assertThat(Files.exists(tmp.resolve("data/normalized/kalshi/" + date + "/trade.parquet"))).isTrue();

        // quality: stored, and returned in the result
        assertThat(r.quality().grade()).isEqualTo(Quality.GREEN);
        assertThat(r.quality().feeds().getFirst().records()).isEqualTo(manifest.records());
        try (Database db = Database.fromUrl(dbUrl)) {
          assertThat(new QualityStore(db).find(ENV, LocalDate.parse(date))).contains(r.quality());
        }
        assertThat(DayClient.storedQuality(dbUrl, ENV, date)).contains(r.quality());

        // notifications: one webhook POST (Slack-style text) and one mail
        WorkerTests.await(Duration.ofSeconds(10), "webhook", () -> webhook.bodies.size() == 1);
        JsonNode hook = JSON.readTree(webhook.bodies.getFirst());
        assertThat(hook.path("text").asText()).contains("ssmd day end " + ENV + " " + date + ": done, quality GREEN");
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[ssmd info] ssmd day end " + ENV + " " + date + ": done, quality GREEN");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ops@example.com");

        // status: DayEnd and DataQuality completed and ok
        DayClient.DayStatus status = days2.status(ENV, date, List.of());
        assertThat(status.runs()).filteredOn(run -> run.type().equals("DayEnd")).singleElement()
            .satisfies(run -> assertThat(run.status()).isEqualTo("COMPLETED"));
        assertThat(status.quality()).isEqualTo(r.quality());
        assertThat(status.failed()).isFalse();

        // a file damaged after the fact: verification names it, nothing is uploaded, the alert says FAILED
        Path damaged = dayDir.resolve(manifest.files().getFirst().name());
        Files.write(damaged, "garbage".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        int writesBefore = s3.writes(RAW).values().stream().mapToInt(Integer::intValue).sum();
        DayResult bad = days2.await(days2.start(DayEndWorkflow.TYPE, new DayInput(ENV, date)).workflowId(), Duration.ofSeconds(90));
        assertThat(bad.ok()).isFalse();
        assertThat(step(bad, "verify").status()).isEqualTo(StepStatus.FAILED);
        assertThat(step(bad, "verify").detail()).contains(damaged.getFileName().toString());
        assertThat(step(bad, "upload").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(s3.writes(RAW).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(writesBefore);
        WorkerTests.await(Duration.ofSeconds(10), "second webhook", () -> webhook.bodies.size() == 2);
        assertThat(JSON.readTree(webhook.bodies.get(1)).path("text").asText()).contains(":red_circle:").contains("FAILED");
        assertThat(days2.status(ENV, date, List.of()).failed()).isTrue();
      }
    } finally {
      smtp.stop();
    }
  }

  private static DayStep step(DayResult r, String name) {
    return r.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** Publishes Kalshi ticker and trade frames through the memory transport for ~3 s, archived with 1 s rotation. */
  private static long capture(Path archive) throws Exception {
    String ticker = Files.readString(Path.of("..", "ssmd-venue-kalshi", "src", "test", "resources", "kalshi", "ticker.json")).strip();
    String trade = Files.readString(Path.of("..", "ssmd-venue-kalshi", "src", "test", "resources", "kalshi", "trade.json")).strip();
    long n = 0;
    try (MemoryTransport transport = MemoryTransport.start(PublishListener.NONE);
        TransportArchiver archiver = new TransportArchiver(transport, ENV, "kalshi", archive, Duration.ofSeconds(1), new PrometheusRegistry())) {
      archiver.start();
      long end = System.nanoTime() + Duration.ofMillis(3_200).toNanos();
      while (System.nanoTime() < end) {
        boolean isTrade = n % 3 == 0;
        String frame = isTrade ? trade.replace("d91bc706", String.format("%08x", n)) : ticker;
        String subject = Subjects.subject(ENV, "kalshi", isTrade ? "trade" : "ticker", "FED-23DEC-T3.00");
        assertThat(transport.publish(new Envelope(subject, frame.getBytes(StandardCharsets.UTF_8), "m" + n,
            System.currentTimeMillis() * 1_000_000L, "c1", 0))).isTrue();
        n++;
        Thread.sleep(5);
      }
      assertThat(transport.flush(Duration.ofSeconds(5))).isTrue();
      long published = n;
      WorkerTests.await(Duration.ofSeconds(10), "archived", () -> archiver.written() == published);
    }
    return n;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
