package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T00:10:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  @Test
  void dayStatusAgeGrowsUntilTheNextDayWorkflowOfTheEnvironmentFinishes() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    WorkerMetrics m = new WorkerMetrics(registry, clock);
    assertThat(scrape(registry)).doesNotContain("ssmd_worker_day_status_age_seconds{")
        .contains("ssmd_worker_day_workflows_total{outcome=\"failed\",workflow=\"DayEnd\"} 0.0");
    assertThat(m.dayStatusAge("kalshi-prod")).isEqualTo(-1);

    m.dayFinished("kalshi-prod", "DayStart", true);
    now.set(now.get().plus(Duration.ofHours(26)));
    assertThat(m.dayStatusAge("kalshi-prod")).isEqualTo(26 * 3600.0);
    assertThat(scrape(registry)).contains("ssmd_worker_day_status_age_seconds{env=\"kalshi-prod\"} 93600.0")
        .contains("ssmd_worker_day_workflows_total{outcome=\"ok\",workflow=\"DayStart\"} 1.0");

    m.dayFinished("kalshi-prod", "DayEnd", false);
    assertThat(m.dayStatusAge("kalshi-prod")).isZero();
    assertThat(scrape(registry)).contains("ssmd_worker_day_workflows_total{outcome=\"failed\",workflow=\"DayEnd\"} 1.0");
  }

  private static String scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
