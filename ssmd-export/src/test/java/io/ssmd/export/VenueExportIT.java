package io.ssmd.export;

import static io.ssmd.export.ParquetExporterIT.DATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import io.ssmd.venue.kalshi.KalshiNormalizer;
import io.ssmd.venue.kraken.KrakenNormalizer;
import io.ssmd.venue.polymarket.PolymarketNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exports recorded frames of the three venues with the real venue normalizers. */
@Timeout(60)
class VenueExportIT {
  @TempDir Path tmp;

  private static final Map<String, Normalizer> NORMALIZERS =
      Map.of("kalshi", new KalshiNormalizer(), "kraken", new KrakenNormalizer(), "polymarket", new PolymarketNormalizer());

  static List<String> frames(String venue) throws IOException {
    try (InputStream in = VenueExportIT.class.getResourceAsStream("/venues/" + venue + ".jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @Test
  void everyVenueExportsWhatItsNormalizerMakesOfEachLine() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    for (String venue : NORMALIZERS.keySet()) {
      Archives.write(root, venue, DATE, "0900", 1, frames(venue));
    }

    List<ExportManifest> manifests = new ParquetExporter(NORMALIZERS).export(root, List.of("kalshi", "kraken", "polymarket"), DATE, out);

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      for (ExportManifest m : manifests) {
        // the same normalizer, called line by line here, says what the export should hold
        Map<String, Long> rows = new HashMap<>();
        long withRows = 0;
        long rejected = 0;
        long n = 0;
        for (String f : frames(m.feed())) {
          n++;
          byte[] frame = ArchiveFormat.decode("x", ArchiveFormat.encode(f.getBytes(StandardCharsets.UTF_8), 1, n)).frame();
          Normalized r = NORMALIZERS.get(m.feed()).normalize(frame, Archives.T0_MICROS + n, n);
          if (r instanceof Normalized.Events e && !e.events().isEmpty()) {
            withRows++;
            for (MarketEvent ev : e.events()) {
              rows.merge(ev.kind(), ev instanceof MarketEvent.BookSnapshot b ? Math.max(1, b.bids().size() + b.asks().size()) : 1L, Long::sum);
            }
          } else if (r instanceof Normalized.Rejected) {
            rejected++;
          }
        }
        assertThat(m.linesRead()).as(m.feed()).isEqualTo(n);
        assertThat(m.accountsForEveryLine()).as(m.feed()).isTrue();
        assertThat(m.linesWithRows()).as(m.feed()).isEqualTo(withRows);
        assertThat(m.linesRejected()).as(m.feed()).isEqualTo(rejected).isPositive();
        assertThat(m.linesSkipped()).as(m.feed()).isPositive();
        for (ExportManifest.OutputFile f : m.files()) {
          assertThat(f.rows()).as(m.feed() + " " + f.kind()).isEqualTo(rows.getOrDefault(f.kind(), 0L));
          assertThat(ParquetExporterIT.longOf(st, "SELECT count(*) FROM read_parquet("
              + Sql.literal(out.resolve(m.feed()).resolve(DATE.toString()).resolve(f.name())) + ")")).isEqualTo(f.rows());
        }
      }
      // a Kalshi price survives exactly: "0.3600" in the frame, 0.36 in Parquet
      assertThat(ParquetExporterIT.string(st, "SELECT price::VARCHAR FROM read_parquet("
          + Sql.literal(out.resolve("kalshi").resolve(DATE.toString()).resolve("trade.parquet")) + ")")).isEqualTo("0.36000000");
    }
  }
}
