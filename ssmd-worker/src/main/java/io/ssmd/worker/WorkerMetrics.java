package io.ssmd.worker;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The worker's own metrics (the Temporal SDK's {@code temporal_*} metrics are registered beside
 * them by {@link WorkerRuntime}). Every labelled series exists at 0 from start-up, so a dashboard
 * sees "no failures" rather than "no data".
 */
public final class WorkerMetrics {
  /** Security-master syncs finished, by feed and outcome ({@code ok}, {@code failed}). */
  public static final String SYNCS = "ssmd_worker_syncs_total";
  /** Records received by finished syncs, by feed. */
  public static final String SYNC_RECORDS = "ssmd_worker_sync_records_total";
  /** Notifications, by channel ({@code webhook}, {@code email}) and outcome ({@code sent}, {@code failed}). */
  public static final String NOTIFICATIONS = "ssmd_worker_notifications_total";
  /** Archive files uploaded by DayEnd. */
  public static final String FILES_UPLOADED = "ssmd_worker_files_uploaded_total";
  /** Data-quality reports stored, by grade. */
  public static final String QUALITY_REPORTS = "ssmd_worker_quality_reports_total";
  /** 1 while the worker is connected to Temporal and polling its task queue. */
  public static final String POLLING = "ssmd_worker_polling";

  public static final String LABEL_FEED = "feed";
  public static final String LABEL_OUTCOME = "outcome";
  public static final String LABEL_CHANNEL = "channel";
  public static final String LABEL_GRADE = "grade";

  static final List<String> FEEDS = List.of("kalshi", "kraken", "polymarket");

  private final Counter syncs;
  private final Counter records;
  private final Counter notifications;
  private final Counter uploaded;
  private final Counter quality;
  private final Gauge polling;

  public WorkerMetrics(PrometheusRegistry registry) {
    syncs = Counter.builder().name(SYNCS).help("Security-master syncs finished").labelNames(LABEL_FEED, LABEL_OUTCOME).register(registry);
    records = Counter.builder().name(SYNC_RECORDS).help("Records received by finished syncs").labelNames(LABEL_FEED).register(registry);
    notifications = Counter.builder().name(NOTIFICATIONS).help("Notifications by channel and outcome")
        .labelNames(LABEL_CHANNEL, LABEL_OUTCOME).register(registry);
    uploaded = Counter.builder().name(FILES_UPLOADED).help("Archive files uploaded by DayEnd").register(registry);
    quality = Counter.builder().name(QUALITY_REPORTS).help("Data-quality reports stored, by grade").labelNames(LABEL_GRADE).register(registry);
    polling = Gauge.builder().name(POLLING).help("1 while connected to Temporal and polling").register(registry);
    for (String f : FEEDS) {
      syncs.labelValues(f, "ok");
      syncs.labelValues(f, "failed");
      records.labelValues(f);
    }
    for (String c : List.of("webhook", "email")) {
      notifications.labelValues(c, "sent");
      notifications.labelValues(c, "failed");
    }
    for (String g : List.of("GREEN", "YELLOW", "RED")) {
      quality.labelValues(g);
    }
    polling.set(0);
  }

  /** Metrics that go nowhere, for activities run outside a worker. */
  public static WorkerMetrics detached() {
    return new WorkerMetrics(new PrometheusRegistry());
  }

  public void syncFinished(String feed, long received) {
    syncs.labelValues(feed, "ok").inc();
    records.labelValues(feed).inc(received);
  }

  public void syncFailed(String feed) {
    syncs.labelValues(feed, "failed").inc();
  }

  public void notification(String channel, boolean sent) {
    notifications.labelValues(channel, sent ? "sent" : "failed").inc();
  }

  public void filesUploaded(long n) {
    uploaded.inc(n);
  }

  public void qualityStored(String grade) {
    quality.labelValues(grade).inc();
  }

  void polling(boolean on) {
    polling.set(on ? 1 : 0);
  }
}
