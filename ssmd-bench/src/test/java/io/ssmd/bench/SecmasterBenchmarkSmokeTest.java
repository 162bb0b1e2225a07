package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the security-master benchmark on a tiny universe against the Kalshi simulator, an embedded
 * PostgreSQL and a separate {@code ssmd secmaster sync} process. Asserts only that every figure was
 * measured (and that the no-change re-sync changed nothing): the figures are for docs/benchmarks.md,
 * never thresholds.
 */
class SecmasterBenchmarkSmokeTest {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void tinyRunMeasuresEveryFigureAndPrintsTheReport() throws Exception {
    SecmasterReport report = new SecmasterBenchmark(SecmasterBenchOptions.quick().withMarkets(1_500)).run();

    assertThat(report.markets()).isEqualTo(1_500);
    assertThat(report.rawRecords()).isPositive();
    assertThat(report.rawPages()).isPositive();
    assertThat(report.rawRate()).isPositive();
    assertThat(report.syncRecords()).isPositive();
    assertThat(report.syncMarketsInserted()).isEqualTo(1_500);
    assertThat(report.syncRate()).isPositive();
    assertThat(report.syncRatio()).isPositive();
    assertThat(report.resyncRecords()).isPositive();
    assertThat(report.resyncSeconds()).isPositive();
    assertThat(report.resyncChangedRows()).isZero();
    assertThat(report.rssBytes()).isPositive();
    assertThat(report.childRecords()).isPositive();
    assertThat(report.childSeconds()).isPositive();
    String printed = report.format();
    System.out.print(printed);
    assertThat(printed)
        .contains("raw paging")
        .contains("first sync")
        .contains("no-change re-sync")
        .contains("peak RSS");
  }
}
