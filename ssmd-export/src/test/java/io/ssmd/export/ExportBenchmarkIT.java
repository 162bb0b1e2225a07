package io.ssmd.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the benchmark pieces on a generated archive: 20 000 messages by default, {@code
 * -Dssmd.export.benchMessages=1000000} for the size. Checks both sides wrote one row per
 * line; the timing is logged, never asserted (figures belong in docs/benchmarks.md).
 */
@Timeout(600)
class ExportBenchmarkIT {
  private static final Logger LOG = LoggerFactory.getLogger(ExportBenchmarkIT.class);
  private static final LocalDate DATE = LocalDate.of(2025, 11, 22);

  @TempDir Path tmp;

  /** {@code n} trade and quote frames over {@code files} archive files. */
  static void writeTrades(Path root, String feed, int n, int files) throws IOException {
    int per = (n + files - 1) / files;
    long seq = 1;
    for (int f = 0; f < files; f++) {
      List<String> frames = new ArrayList<>(per);
      for (int i = 0; i < per && seq <= n; i++, seq++) {
        frames.add(seq % 4 == 0
            ? "{\"t\":\"quote\",\"s\":\"SYM-" + (seq % 50) + "\",\"bp\":\"0." + (seq % 97 + 1) + "\",\"bq\":\"" + (seq % 1000) + ".00\",\"ap\":\"0."
                + (seq % 97 + 2) + "\",\"aq\":\"12.5\",\"ts\":" + (Archives.T0_MICROS + seq) + "}"
            : "{\"t\":\"trade\",\"s\":\"SYM-" + (seq % 50) + "\",\"id\":\"" + seq + "\",\"p\":\"" + (seq % 9000 + 100) + "." + (seq % 100)
                + "\",\"q\":\"0." + (seq % 100000) + "\",\"side\":\"" + (seq % 2 == 0 ? "buy" : "sell") + "\",\"ts\":" + (Archives.T0_MICROS + seq) + "}");
      }
      Archives.write(root, feed, DATE, String.format("%02d00", f), seq - frames.size(), frames);
    }
  }

  @Test
  void exportAndDuckDbRawCopyEachWriteOneRowPerLine() throws Exception {
    int n = Integer.getInteger("ssmd.export.benchMessages", 20_000);
    Path root = tmp.resolve("archive");
    writeTrades(root, "bench", n, 4);

    ExportBenchmark.Result r = ExportBenchmark.exportVsDuckDbCopy(root, "bench", DATE, new TestNormalizer("bench"), tmp.resolve("work"));

    LOG.info("export of {} messages: {} ms; DuckDB raw COPY: {} ms; ratio {}", n, r.export().toMillis(), r.duckDbCopy().toMillis(),
        String.format("%.2f", r.ratio()));
    assertThat(r.lines()).isEqualTo(n);
    assertThat(r.rows()).isEqualTo(n);
    assertThat(r.duckDbRows()).isEqualTo(n);
    assertThat(r.ratio()).isPositive();
  }
}
