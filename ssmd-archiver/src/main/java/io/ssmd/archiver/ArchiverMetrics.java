package io.ssmd.archiver;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Archiver metrics (DESIGN §5). Every metric name and label key is declared here. All series of a
 * feed exist at 0 from start-up, so {@code rate(...) == 0} alerts fire on an archiver that never
 * wrote anything.
 *
 * <p>{@code bucket} is the logical bucket the archiver writes, always {@value #BUCKET_RAW} (the
 * local archive, and its upload target when a raw store is configured); the Parquet export uses
 * {@code normalized}. Families are registered once per registry and shared by every feed in it.
 */
public final class ArchiverMetrics {
  public static final String BYTES_WRITTEN = "ssmd_archiver_bytes_written_total";
  public static final String FILES_WRITTEN = "ssmd_archiver_files_written_total";
  public static final String MESSAGES = "ssmd_archiver_messages_total";
  public static final String DUPLICATES_SKIPPED = "ssmd_archiver_duplicates_skipped_total";
  public static final String GAPS = "ssmd_archiver_gaps_total";
  public static final String LAG_MESSAGES = "ssmd_archiver_lag_messages";
  public static final String UPLOAD_FAILURES = "ssmd_archiver_upload_failures_total";
  public static final String FILES_UPLOADED = "ssmd_archiver_files_uploaded_total";
  public static final String LAST_WRITE_AGE_SECONDS = "ssmd_archiver_last_write_age_seconds";
  public static final String WRITE_ERRORS = "ssmd_archiver_write_errors_total";

  public static final String LABEL_FEED = "feed";
  public static final String LABEL_BUCKET = "bucket";
  /** The only {@code bucket} value the archiver writes. */
  public static final String BUCKET_RAW = "raw";

  private static final Map<PrometheusRegistry, Families> FAMILIES = new WeakHashMap<>();

  private final String feed;
  private final Families families;
  private volatile long lastWriteNanos = System.nanoTime();
  private volatile long lag;

  private ArchiverMetrics(String feed, Families families) {
    this.feed = feed;
    this.families = families;
    families.messages.initLabelValues(feed);
    families.duplicates.initLabelValues(feed);
    families.gaps.initLabelValues(feed);
    families.writeErrors.initLabelValues(feed);
  }

  /** The metrics of {@code feed} in {@code registry}; the same object for the same registry and feed. */
  public static ArchiverMetrics create(PrometheusRegistry registry, String feed) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(feed, "feed");
    synchronized (FAMILIES) {
      Families families = FAMILIES.computeIfAbsent(registry, Families::new);
      return families.feeds.computeIfAbsent(feed, f -> new ArchiverMetrics(f, families));
    }
  }

  void written(int records, long bytes) {
    families.messages.labelValues(feed).inc(records);
    families.bytesWritten.labelValues(BUCKET_RAW).inc(bytes);
    lastWriteNanos = System.nanoTime();
  }

  void duplicates(int n) {
    families.duplicates.labelValues(feed).inc(n);
  }

  void gap() {
    families.gaps.labelValues(feed).inc();
  }

  void writeError() {
    families.writeErrors.labelValues(feed).inc();
  }

  void fileWritten() {
    families.filesWritten.labelValues(BUCKET_RAW).inc();
  }

  void uploaded() {
    families.uploaded.labelValues(BUCKET_RAW).inc();
  }

  void uploadFailure() {
    families.uploadFailures.labelValues(BUCKET_RAW).inc();
  }

  void lag(long messages) {
    lag = Math.max(0, messages);
  }

  long lag() {
    return lag;
  }

  private static final class Families {
    final Map<String, ArchiverMetrics> feeds = new ConcurrentHashMap<>();
    final Counter bytesWritten;
    final Counter filesWritten;
    final Counter messages;
    final Counter duplicates;
    final Counter gaps;
    final Counter uploadFailures;
    final Counter uploaded;
    final Counter writeErrors;

    Families(PrometheusRegistry registry) {
      bytesWritten = Counter.builder().name(BYTES_WRITTEN)
          .help("Compressed bytes written to archive files").labelNames(LABEL_BUCKET).register(registry);
      filesWritten = Counter.builder().name(FILES_WRITTEN)
          .help("Archive files finished (renamed and listed in the manifest)").labelNames(LABEL_BUCKET).register(registry);
      messages = Counter.builder().name(MESSAGES)
          .help("Messages written to the archive").labelNames(LABEL_FEED).register(registry);
      duplicates = Counter.builder().name(DUPLICATES_SKIPPED)
          .help("Redelivered messages already in the archive, acknowledged and not written again")
          .labelNames(LABEL_FEED).register(registry);
      gaps = Counter.builder().name(GAPS)
          .help("Jumps in the stream sequence (messages gone from the stream before they were archived)")
          .labelNames(LABEL_FEED).register(registry);
      uploadFailures = Counter.builder().name(UPLOAD_FAILURES)
          .help("Uploads that failed after their retries (retried at the next rotation and start)")
          .labelNames(LABEL_BUCKET).register(registry);
      uploaded = Counter.builder().name(FILES_UPLOADED)
          .help("Files and manifests uploaded and verified").labelNames(LABEL_BUCKET).register(registry);
      writeErrors = Counter.builder().name(WRITE_ERRORS)
          .help("Failed writes, fsyncs or renames of archive files (the batch is not acknowledged and is retried)")
          .labelNames(LABEL_FEED).register(registry);
      bytesWritten.initLabelValues(BUCKET_RAW);
      filesWritten.initLabelValues(BUCKET_RAW);
      uploadFailures.initLabelValues(BUCKET_RAW);
      uploaded.initLabelValues(BUCKET_RAW);
      GaugeWithCallback.builder().name(LAG_MESSAGES)
          .help("Stream last sequence minus the last sequence archived").labelNames(LABEL_FEED)
          .callback(cb -> feeds.values().forEach(m -> cb.call(m.lag, m.feed)))
          .register(registry);
      GaugeWithCallback.builder().name(LAST_WRITE_AGE_SECONDS)
          .help("Seconds since the last batch was written (since start-up if none)").labelNames(LABEL_FEED)
          .callback(cb -> {
            long now = System.nanoTime();
            feeds.values().forEach(m -> cb.call((now - m.lastWriteNanos) / 1e9, m.feed));
          })
          .register(registry);
    }
  }
}
