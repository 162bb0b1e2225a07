package io.ssmd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class NormalizePipelineIT {
  private static final LocalDate DATE = LocalDate.of(2025, 11, 22);

  @TempDir Path tmp;

  @Test
  void manyNormalizerThreadsKeepCaptureOrder() throws Exception {
    Path root = tmp.resolve("a");
    ExportBenchmarkIT.writeTrades(root, "bench", 30_000, 3);
    try (Connection c = ParquetExporter.openDuckDb(null);
        DayStager s = new DayStager(c.unwrap(DuckDBConnection.class), "p", "bench", new TestNormalizer("bench"))) {
      NormalizePipeline.run(ArchiveReader.open(root, "bench", DATE), s, 4);
      s.finish();
      assertThat(s.linesRead()).isEqualTo(30_000);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT nats_seq FROM (SELECT nats_seq FROM p_trade UNION ALL SELECT nats_seq FROM p_quote)")) {
        long n = 0;
        while (rs.next()) {
          n++;
        }
        assertThat(n).isEqualTo(30_000);
      }
      // within a table, rows are in the order the archive holds them
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT nats_seq - lag(nats_seq) OVER () AS step FROM p_trade) WHERE step <= 0")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void anErrorInANormalizerThreadReachesTheCaller() throws Exception {
    Path root = tmp.resolve("a");
    ExportBenchmarkIT.writeTrades(root, "bench", 10_000, 1);
    Normalizer failing = new Normalizer() {
      @Override
      public String feed() {
        return "bench";
      }

      @Override
      public Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
        if (natsSeq == 7_000) {
          throw new StackOverflowError("simulated");
        }
        return new Normalized.Skipped("x");
      }
    };
    try (Connection c = ParquetExporter.openDuckDb(null); DayStager s = new DayStager(c.unwrap(DuckDBConnection.class), "p", "bench", failing)) {
      assertThatThrownBy(() -> NormalizePipeline.run(ArchiveReader.open(root, "bench", DATE), s, 3))
          .isInstanceOf(StackOverflowError.class).hasMessage("simulated");
      assertThat(s.linesRead()).isLessThan(7_000);
    }
  }
}
