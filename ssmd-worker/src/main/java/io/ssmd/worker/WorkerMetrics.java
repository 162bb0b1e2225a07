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
  /**
   * Seconds since this worker last finished a day workflow ({@code DayStart} or {@code DayEnd}) of
   * an environment, by env: alert DayStatusStale fires when no day rolled for more than 25 hours.
   * A series appears with the first finished day workflow of the environment after start-up.
   */
  public static final String DAY_STATUS_AGE = "ssmd_worker_day_status_age_seconds";
  /** Day workflows finished, by workflow ({@code DayStart}, {@code DayEnd}) and outcome ({@code ok}, {@code failed}). */
  public static final String DAY_WORKFLOWS = "ssmd_worker_day_workflows_total";
  /** 1 while the worker is connected to Temporal and polling its task queue. */
  public static final String POLLING = "ssmd_worker_polling";

  public static final String LABEL_FEED = "feed";
  public static final String LABEL_OUTCOME = "outcome";
  public static final String LABEL_CHANNEL = "channel";
  public static final String LABEL_GRADE = "grade";
  public static final String LABEL_ENV = "env";
  public static final String LABEL_WORKFLOW = "workflow";

  static final List<String> FEEDS = List.of("kalshi", "kraken", "polymarket");

  private final Counter syncs;
  private final Counter records;
  private final Counter notifications;
  private final Counter uploaded;
  private final Counter quality;
  private final Gauge polling;
  private final Counter days;
  private final java.util.Map<String, java.time.Instant> lastDay = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.time.Clock clock;

  public WorkerMetrics(PrometheusRegistry registry) {
    this(registry, java.time.Clock.systemUTC());
  }

  /** With the clock the day-status age is measured by (tests). */
  public WorkerMetrics(PrometheusRegistry registry, java.time.Clock clock) {
    this.clock = clock;
    days = Counter.builder().name(DAY_WORKFLOWS).help("Day workflows finished, by workflow and outcome")
        .labelNames(LABEL_WORKFLOW, LABEL_OUTCOME).register(registry);
    for (String w : List.of("DayStart", "DayEnd")) {
      days.labelValues(w, "ok");
      days.labelValues(w, "failed");
    }
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name(DAY_STATUS_AGE)
        .help("Seconds since the last finished DayStart/DayEnd of the environment").labelNames(LABEL_ENV)
        .callback(cb -> {
          java.time.Instant now = this.clock.instant();
          lastDay.forEach((env, at) -> cb.call(java.time.Duration.between(at, now).toMillis() / 1000.0, env));
        })
        .register(registry);
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

  /** A day workflow of {@code env} finished (ok or with failed steps): the day status is fresh again. */
  public void dayFinished(String env, String workflow, boolean ok) {
    days.labelValues(workflow, ok ? "ok" : "failed").inc();
    lastDay.put(env, clock.instant());
  }

  /** Seconds since the last finished day workflow of {@code env}, or -1 when none finished since start-up. */
  public double dayStatusAge(String env) {
    java.time.Instant at = lastDay.get(env);
    return at == null ? -1 : java.time.Duration.between(at, clock.instant()).toMillis() / 1000.0;
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
