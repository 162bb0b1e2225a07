package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the archive benchmark on a few thousand messages against a real nats-server, DuckDB and a
 * separate archiver process. Asserts only that every figure was measured and the report prints:
 * the figures themselves are for docs/benchmarks.md, never thresholds.
 */
class ArchiveBenchmarkSmokeTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void tinyRunMeasuresEveryFigureAndPrintsTheReport() throws Exception {
    ArchiveBenchOptions options = ArchiveBenchOptions.quick().withSizes(5_000, 2_000, 10_000).withMarkets(20);

    ArchiveReport report = new ArchiveBenchmark(options).run();

    assertThat(report.messages()).isEqualTo(5_000);
    assertThat(report.avgFrameBytes()).isPositive();
    assertThat(report.fillRate()).isPositive();
    assertThat(report.rawFetchRate()).isPositive();
    assertThat(report.archiverBatchRate()).isPositive();
    assertThat(report.archiverRotationRate()).isPositive();
    assertThat(report.archiverRatio()).isPositive();
    assertThat(report.lineBytes()).isPositive();
    assertThat(report.archiveBytes()).isPositive();
    assertThat(report.archiverBatchMbps()).isPositive();
    assertThat(report.rawGzipMbps()).isPositive();
    assertThat(report.rawGzipBytes()).isPositive();
    assertThat(report.replayRate()).isPositive();
    assertThat(report.rawGunzipRate()).isPositive();
    assertThat(report.replayRatio()).isPositive();
    assertThat(report.exportLines()).isEqualTo(10_000);
    assertThat(report.exportRows()).isPositive();
    assertThat(report.exportSeconds()).isPositive();
    assertThat(report.duckDbRows()).isPositive();
    assertThat(report.duckDbSeconds()).isPositive();
    assertThat(report.exportRatio()).isPositive();
    assertThat(report.rssBytes()).isPositive();
    assertThat(report.childRate()).isPositive();
    String printed = report.format();
    System.out.print(printed);
    assertThat(printed)
        .contains("raw jnats pull fetch+ack")
        .contains("archiver -> JSONL.gz, fsync batch")
        .contains("raw GZIPOutputStream")
        .contains("data replay")
        .contains("DuckDB COPY")
        .contains("data export")
        .contains("archiver peak RSS");
  }
}
