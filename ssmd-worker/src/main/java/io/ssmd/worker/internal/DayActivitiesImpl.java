package io.ssmd.worker.internal;

import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.archiver.Manifest;
import io.ssmd.config.JetStreamConfig;
import io.ssmd.config.KeyMaterial;
import io.ssmd.config.KeySpec;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.config.StorageConfig;
import io.ssmd.config.StorageType;
import io.ssmd.config.TransportType;
import io.ssmd.data.Feeds;
import io.ssmd.export.ExportException;
import io.ssmd.export.ExportManifest;
import io.ssmd.export.ParquetExporter;
import io.ssmd.market.Normalizer;
import io.ssmd.storage.ObjectStore;
import io.ssmd.storage.ObjectStores;
import io.ssmd.storage.Uploader;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.nats.ApplyResult;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import io.ssmd.worker.WorkerMetrics;
import io.ssmd.worker.WorkerSettings;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.FeedQuality;
import io.ssmd.worker.workflows.QualityReport;
import io.ssmd.worker.workflows.StepStatus;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The day workflows' steps, calling the transport, secmaster, archiver, storage and export libraries directly. */
public final class DayActivitiesImpl implements DayActivities {
  private static final Logger LOG = LoggerFactory.getLogger(DayActivitiesImpl.class);
  private static final Duration POLL = Duration.ofSeconds(2);
  private final Environments environments;
  private final Databases databases;
  private final WorkerSettings settings;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public DayActivitiesImpl(Environments environments, Databases databases, WorkerSettings settings, WorkerMetrics metrics, Clock clock) {
    this.environments = environments;
    this.databases = databases;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public DayContext resolveDay(DayInput in) {
    ResolvedEnvironment r = environments.load(in.env());
    String date = in.date() != null ? in.date() : Environments.today(r, clock.instant()).toString();
    return new DayContext(in.env(), date, r.feedName(), Environments.zone(r).getId(),
        r.environment().transport().type().name().toLowerCase(java.util.Locale.ROOT),
        r.environment().storage().type().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public DayStep applyStreams(DayContext day) {
    ResolvedEnvironment r = environments.load(day.env());
    if (r.environment().transport().type() != TransportType.NATS) {
      return new DayStep("streams", StepStatus.SKIPPED, "transport " + day.transport() + " has no streams");
    }
    JetStreamConfig js = r.environment().transport().jetstream();
    // the same streams as `ssmd env apply`: the feed's, and the environment's secmaster and signals streams
    List<StreamSpec> specs = List.of(
        new StreamSpec(r.streamName(), List.of(Subjects.feedWildcard(r.subjectPrefix(), r.feedName())), js.maxAge(), js.replicas(),
            js.duplicateWindow(), js.maxBytes()),
        StreamSpec.forSecmaster(r.subjectPrefix(), js.maxAge(), js.replicas(), js.duplicateWindow(), -1),
        StreamSpec.forSignals(r.subjectPrefix(), js.maxAge(), js.replicas(), js.duplicateWindow(), -1));
    List<String> summaries = new ArrayList<>();
    try (StreamAdmin admin = StreamAdmin.connect(r.environment().transport().url().toString())) {
      for (StreamSpec spec : specs) {
        ApplyResult res = admin.apply(spec, false);
        if (!res.ok()) {
          throw ApplicationFailure.newFailure("stream " + spec.name() + ": " + String.join("; ", res.errors()), "StreamApplyFailed");
        }
        summaries.add(res.summary());
      }
      return new DayStep("streams", StepStatus.OK, String.join("; ", summaries));
    } catch (RuntimeException e) {
      if (e instanceof ApplicationFailure) {
        throw e;
      }
      throw ApplicationFailure.newFailure("streams at " + r.environment().transport().url() + ": " + e.getMessage(), "StreamApplyFailed");
    }
  }

  @Override
  public DayStep applySchema(DayContext day) {
    // opening the database runs the security master's Flyway migrations; the worker's own table is created here too
    try {
      new QualityStore(databases.get());
    } catch (java.sql.SQLException e) {
      throw ApplicationFailure.newFailure("database: " + e.getMessage(), "DatabaseUnavailable");
    }
    return new DayStep("schema", StepStatus.OK, "security-master schema migrated (Flyway), worker tables present");
  }

  @Override
  public DayStep awaitReady(DayContext day) {
    List<WorkerSettings.ReadyUrl> urls = settings.readyUrls().stream().filter(u -> u.appliesTo(day.env())).toList();
    if (urls.isEmpty()) {
      return new DayStep("ready", StepStatus.SKIPPED, "no components to wait for (set " + WorkerSettings.SSMD_READY_URLS + ")");
    }
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Instant deadline = clock.instant().plus(settings.readyTimeout());
    Map<String, String> notReady = probe(urls);
    while (!notReady.isEmpty() && clock.instant().isBefore(deadline)) {
      ctx.heartbeat(notReady.size());
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      }
      notReady = probe(urls);
    }
    if (!notReady.isEmpty()) {
      List<String> lines = new ArrayList<>();
      notReady.forEach((k, v) -> lines.add(k + " " + v));
      return new DayStep("ready", StepStatus.FAILED, "not ready after " + QualityChecker.human(settings.readyTimeout()) + ": "
          + String.join("; ", lines));
    }
    return new DayStep("ready", StepStatus.OK, urls.size() + " component(s) ready: "
        + String.join(", ", urls.stream().map(u -> u.name() + " " + u.url()).toList()));
  }

  /** Component name → why it is not ready; empty when all are. */
  private Map<String, String> probe(List<WorkerSettings.ReadyUrl> urls) {
    Map<String, String> out = new LinkedHashMap<>();
    for (WorkerSettings.ReadyUrl u : urls) {
      Optional<String> why = ReadyProbe.notReady(http, u.url());
      why.ifPresent(w -> out.put(u.name() + " (" + u.url() + ")", w));
    }
    return out;
  }

  @Override
  public ArchiveCheck verifyArchive(DayContext day) {
    ResolvedEnvironment r = environments.load(day.env());
    Path dir = ArchiveFormat.dayDir(r.environment().archivePath(), r.feedName(), LocalDate.parse(day.date()));
    try {
      ArchiveCheck c = ArchiveVerifier.verify(dir);
      LOG.info("archive {} verified: {} files, {} records, {} problems", dir, c.files(), c.records(), c.problems().size());
      return c;
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot read the archive " + dir + ": " + e.getMessage(), "ArchiveUnreadable");
    }
  }

  @Override
  public DayStep upload(DayContext day) {
    ResolvedEnvironment r = environments.load(day.env());
    if (r.environment().storage().type() == StorageType.LOCAL) {
      return new DayStep("upload", StepStatus.SKIPPED, "local storage: the archive directory " + r.environment().archivePath()
          + " is the store");
    }
    LocalDate date = LocalDate.parse(day.date());
    Path dir = ArchiveFormat.dayDir(r.environment().archivePath(), r.feedName(), date);
    Manifest m;
    try {
      m = ArchiveVerifier.manifest(dir).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("no manifest in " + dir, "NoManifest"));
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot read the manifest in " + dir + ": " + e.getMessage(), "ArchiveUnreadable");
    }
    List<Uploader.Upload> uploads = new ArrayList<>();
    for (Manifest.FileEntry f : m.files()) {
      uploads.add(new Uploader.Upload(ArchiveFormat.key(r.feedName(), date, f.name()), dir.resolve(f.name())));
    }
    // the manifest last, so a reader of the bucket never sees it list a file that is not there yet
    uploads.add(new Uploader.Upload(ArchiveFormat.key(r.feedName(), date, ArchiveFormat.MANIFEST), dir.resolve(ArchiveFormat.MANIFEST)));
    try (ObjectStore raw = store(r, true)) {
      Uploader.Report rep = new Uploader(raw).upload(uploads);
      metrics.filesUploaded(rep.uploaded().size());
      if (!rep.allStored()) {
        Uploader.Failed f = rep.failed().getFirst();
        String msg = rep.failed().size() + " of " + uploads.size() + " files not stored in " + raw.describe() + ", first: " + f.reason();
        throw rep.failed().stream().allMatch(Uploader.Failed::retriable)
            ? ApplicationFailure.newFailure(msg, "UploadFailed")
            : ApplicationFailure.newNonRetryableFailure(msg, "UploadRejected");
      }
      return new DayStep("upload", StepStatus.OK, rep.uploaded().size() + " uploaded, " + rep.alreadyPresent().size()
          + " already present, all verified (size, SHA-256) in " + raw.describe());
    } catch (ApplicationFailure e) {
      throw e;
    } catch (Exception e) {
      throw ApplicationFailure.newFailure("upload to " + r.environment().storage().endpoint() + ": " + e.getMessage(), "UploadFailed");
    }
  }

  @Override
  public DayStep exportParquet(DayContext day) {
    ResolvedEnvironment r = environments.load(day.env());
    Map<String, Normalizer> normalizers = new HashMap<>();
    normalizers.put(r.feedName(), Feeds.normalizer(r.feedName()));
    Path out = settings.dataDir().resolve("normalized");
    ObjectStore normalized = r.environment().storage().type() == StorageType.S3 ? store(r, false) : null;
    try {
      ExportManifest em = new ParquetExporter(normalizers, normalized)
          .export(r.environment().archivePath(), r.feedName(), LocalDate.parse(day.date()), out);
      long rows = em.rowsByKind().values().stream().mapToLong(Long::longValue).sum();
      return new DayStep("export", StepStatus.OK, em.linesRead() + " lines → " + rows + " rows in " + em.files().size() + " Parquet files under "
          + out.resolve(r.feedName()).resolve(day.date()) + (normalized == null ? "" : ", uploaded to " + normalized.describe())
          + (em.linesRejected() == 0 ? "" : "; " + em.linesRejected() + " lines rejected"));
    } catch (ExportException e) {
      throw ApplicationFailure.newFailure("Parquet export of " + r.feedName() + " " + day.date() + ": " + e.getMessage(), "ExportFailed");
    } finally {
      if (normalized != null) {
        try {
          normalized.close();
        } catch (Exception e) {
          LOG.warn("closing {}: {}", normalized.describe(), e.getMessage());
        }
      }
    }
  }

  @Override
  public void recordDay(DayContext day, String workflow, boolean ok) {
    metrics.dayFinished(day.env(), workflow, ok);
  }

  @Override
  public QualityReport checkQuality(DayContext day) {
    ResolvedEnvironment r = environments.load(day.env());
    LocalDate date = LocalDate.parse(day.date());
    Path root = r.environment().archivePath();
    try {
      Optional<Manifest> m = ArchiveVerifier.manifest(ArchiveFormat.dayDir(root, r.feedName(), date));
      List<Manifest> trailing = new ArrayList<>();
      for (int i = 1; i <= QualityChecker.TRAILING_DAYS; i++) {
        ArchiveVerifier.manifest(ArchiveFormat.dayDir(root, r.feedName(), date.minusDays(i))).ifPresent(trailing::add);
      }
      Instant now = clock.instant();
      FeedQuality f = QualityChecker.grade(r.feedName(), date, m, trailing, now);
      QualityReport report = new QualityReport(day.env(), day.date(), f.grade(), List.of(f), now.toString());
      new QualityStore(databases.get()).save(report);
      metrics.qualityStored(report.grade().name());
      LOG.info("data quality of {} {}: {} {}", day.env(), day.date(), report.grade(), f.reasons());
      return report;
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot read manifests under " + root + ": " + e.getMessage(), "ArchiveUnreadable");
    } catch (java.sql.SQLException e) {
      throw ApplicationFailure.newFailure("cannot store the quality report: " + e.getMessage(), "DatabaseUnavailable");
    }
  }

  /** The raw or normalized bucket; credentials from {@code keys[storage.credentials]}. */
  private static ObjectStore store(ResolvedEnvironment r, boolean raw) {
    StorageConfig s = r.environment().storage();
    String keyName = s.credentials();
    KeySpec spec = r.environment().key(keyName).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        r.environmentFile() + ": storage.credentials names key '" + keyName + "', which keys does not define", Environments.BAD_ENVIRONMENT));
    KeyMaterial k = SecretResolver.system().resolve(keyName, spec).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        r.environmentFile() + ": keys." + keyName + " (S3 credentials) could not be resolved from " + spec.source(),
        Environments.BAD_ENVIRONMENT));
    String bucket = raw ? s.buckets().raw() : s.buckets().normalized();
    return ObjectStores.s3(ObjectStores.s3Options(s.endpoint().toString(), s.region(), bucket, k.field("access_key").reveal(),
        k.field("secret_key").reveal(), true), raw ? "storage.buckets.raw" : "storage.buckets.normalized");
  }
}
