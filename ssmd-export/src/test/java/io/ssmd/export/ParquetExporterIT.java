package io.ssmd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ParquetExporterIT {
  static final String FEED = "testvenue";
  static final LocalDate DATE = LocalDate.of(2025, 11, 22);

  @TempDir Path tmp;

  /** 14 mixed lines (+ one undecodable line) in 1400, 50 trades in 1500. */
  static void writeMixedDay(Path root) throws IOException {
    Path f = Archives.write(root, FEED, DATE, "1400", 1, List.of(
        "{\"t\":\"trade\",\"s\":\"KX-A\",\"p\":\"0.1200\",\"q\":\"3\",\"id\":\"t1\",\"side\":\"buy\",\"ts\":1763800000000001}",
        "{\"t\":\"heartbeat\"}",
        "{\"t\":\"quote\",\"s\":\"KX-A\",\"bp\":\"0.11\",\"bq\":\"100\",\"ap\":\"0.13\",\"aq\":\"50\"}",
        "{\"t\":\"book\",\"s\":\"KX-A\",\"bids\":[[\"0.11\",\"100\"],[\"0.10\",\"5\"]],\"asks\":[[\"0.13\",\"50\"]],\"cs\":42}",
        "{\"t\":\"book\",\"s\":\"KX-B\",\"bids\":[],\"asks\":[]}",
        "{\"t\":\"delta\",\"s\":\"KX-A\",\"seq\":7,\"levels\":[[\"bid\",\"0.11\",\"90\"],[\"ask\",\"0.14\",\"10\"]]}",
        "{\"t\":\"life\",\"s\":\"KX-A\",\"ev\":\"settled\",\"detail\":{\"result\":\"yes\"}}",
        "PONG",
        "{\"t\":\"weird\",\"s\":\"KX-A\"}",
        "{\"t\":\"trade\",\"s\":\"KX-A\",\"p\":\"abc\",\"q\":\"1\"}",
        "{\"t\":\"trade\",\"s\":\"KX-A\",\"p\":\"0.123456789\",\"q\":\"1\"}",
        "{\"t\":\"trade\",\"s\":\"KX-A\",\"p\":\"12345678901\",\"q\":\"1\"}",
        "{\"t\":\"ack\"}",
        "{\"t\":\"delta\",\"s\":\"KX-A\",\"levels\":[]}"));
    Archives.appendRawLine(f, "this is not an archive line");
    List<String> trades = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      trades.add("{\"t\":\"trade\",\"s\":\"KX-" + (i % 3) + "\",\"p\":\"0." + (10 + i) + "\",\"q\":\"" + (i + 1) + ".5\",\"id\":\"b" + i + "\",\"side\":\"sell\"}");
    }
    Archives.write(root, FEED, DATE, "1500", 100, trades);
  }

  static ParquetExporter exporter() {
    return new ParquetExporter(Map.of(FEED, new TestNormalizer(FEED)));
  }

  @Test
  void manifestAccountsForEveryLineAndParquetReadsBackTheRowsWritten() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    writeMixedDay(root);

    ExportManifest m = exporter().export(root, FEED, DATE, out);

    assertThat(m.linesRead()).isEqualTo(64);
    assertThat(m.linesWithRows()).isEqualTo(56);
    assertThat(m.linesSkipped()).isEqualTo(3);
    assertThat(m.linesRejected()).isEqualTo(5);
    assertThat(m.accountsForEveryLine()).isTrue();
    assertThat(m.skippedByReason()).containsExactlyInAnyOrderEntriesOf(Map.of("ack", 1L, "heartbeat", 1L, "no_events", 1L));
    assertThat(m.rejectedByReason()).containsOnlyKeys("malformed", "unknown_type", "bad_number", "precision", "out_of_range");
    assertThat(m.rejectedByReason().values()).allSatisfy(r -> assertThat(r.count()).isEqualTo(1));
    ExportManifest.RejectedLine precision = m.rejectedByReason().get("precision").examples().get(0);
    assertThat(precision.file()).isEqualTo("1400.jsonl.gz");
    assertThat(precision.natsSeq()).isEqualTo(11);
    assertThat(precision.detail()).contains("0.123456789");
    assertThat(precision.frame()).contains("\"t\":\"trade\"");
    assertThat(m.rowsByKind()).containsExactlyInAnyOrderEntriesOf(
        Map.of("trade", 51L, "quote", 1L, "book_snapshot", 4L, "book_delta", 2L, "lifecycle", 1L));
    assertThat(m.eventsByKind()).containsEntry("book_snapshot", 2L).containsEntry("book_delta", 2L);
    assertThat(m.archiveProblems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("1400.jsonl.gz");
      assertThat(p.line()).isEqualTo(15);
    });
    assertThat(m.archiveFiles()).extracting(ExportManifest.ArchiveFile::name).containsExactly("1400.jsonl.gz", "1500.jsonl.gz");

    Path day = out.resolve(FEED).resolve(DATE.toString());
    assertThat(ExportManifest.read(day.resolve(ExportManifest.FILE_NAME))).isEqualTo(m);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      for (ExportManifest.OutputFile f : m.files()) {
        Path p = day.resolve(f.name());
        assertThat(Files.size(p)).isEqualTo(f.bytes());
        assertThat(ParquetExporter.sha256(p)).isEqualTo(f.sha256());
        assertThat(longOf(st, "SELECT count(*) FROM read_parquet(" + Sql.literal(p) + ")")).as(f.name()).isEqualTo(f.rows());
        assertThat(f.rows()).isEqualTo(m.rowsByKind().get(f.kind()));
        // prices and sizes are decimals, never floating point
        try (ResultSet rs = st.executeQuery("SELECT type FROM parquet_schema(" + Sql.literal(p) + ")")) {
          while (rs.next()) {
            assertThat(rs.getString(1)).as(f.name()).isNotIn("DOUBLE", "FLOAT");
          }
        }
      }
      assertThat(Files.list(day).map(p -> p.getFileName().toString()).toList())
          .containsExactlyInAnyOrder("trade.parquet", "quote.parquet", "book_snapshot.parquet", "book_delta.parquet",
              "lifecycle.parquet", "export-manifest.json");
    }
  }

  @Test
  void decimalsTimesAndBookLevelsSurviveExactly() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    writeMixedDay(root);
    exporter().export(root, FEED, DATE, out);
    Path day = out.resolve(FEED).resolve(DATE.toString());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT price, size, typeof(price), exchange_ts, received_ts, nats_seq, aggressor, feed, instrument "
          + "FROM read_parquet(" + Sql.literal(day.resolve("trade.parquet")) + ") WHERE trade_id = 't1'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal("0.12000000"));
        assertThat(rs.getBigDecimal(1).compareTo(new BigDecimal("0.12"))).isZero();
        assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("3");
        assertThat(rs.getString(3)).isEqualTo("DECIMAL(18,8)");
        assertThat(micros(rs.getObject(4, LocalDateTime.class))).isEqualTo(1763800000000001L);
        assertThat(micros(rs.getObject(5, LocalDateTime.class))).isEqualTo(Archives.T0_MICROS + 1);
        assertThat(rs.getLong(6)).isEqualTo(1);
        assertThat(rs.getString(7)).isEqualTo("bid");
        assertThat(rs.getString(8)).isEqualTo(FEED);
        assertThat(rs.getString(9)).isEqualTo("KX-A");
      }
      // a frame without a venue time exports a NULL exchange_ts, not 1970
      assertThat(longOf(st, "SELECT count(*) FROM read_parquet(" + Sql.literal(day.resolve("trade.parquet")) + ") WHERE exchange_ts IS NULL"))
          .isEqualTo(50);
      assertThat(string(st, "SELECT sum(size)::VARCHAR FROM read_parquet(" + Sql.literal(day.resolve("trade.parquet")) + ") WHERE trade_id LIKE 'b%'"))
          .isEqualTo("1300.00000000"); // 1.5 + 2.5 + … + 50.5, exact
      List<String> levels = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT snapshot_id, instrument, side, level, price, size, checksum FROM read_parquet("
          + Sql.literal(day.resolve("book_snapshot.parquet")) + ")")) {
        while (rs.next()) {
          levels.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getObject(4) + " "
              + (rs.getBigDecimal(5) == null ? null : rs.getBigDecimal(5).stripTrailingZeros().toPlainString()) + " "
              + (rs.getBigDecimal(6) == null ? null : rs.getBigDecimal(6).stripTrailingZeros().toPlainString()) + " " + rs.getObject(7));
        }
      }
      assertThat(levels).containsExactly(
          "1 KX-A bid 0 0.11 100 42", "1 KX-A bid 1 0.1 5 42", "1 KX-A ask 0 0.13 50 42", "2 KX-B null null null null null");
      try (ResultSet rs = st.executeQuery("SELECT bid_price, last_price FROM read_parquet(" + Sql.literal(day.resolve("quote.parquet")) + ")")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("0.11");
        assertThat(rs.getBigDecimal(2)).isNull();
      }
      assertThat(string(st, "SELECT detail FROM read_parquet(" + Sql.literal(day.resolve("lifecycle.parquet")) + ")"))
          .isEqualTo("{\"result\":\"yes\"}");
      assertThat(string(st, "SELECT string_agg(side || ':' || sequence, ',') FROM read_parquet("
          + Sql.literal(day.resolve("book_delta.parquet")) + ")")).isEqualTo("bid:7,ask:7");
    }
  }

  @Test
  void damagedArchiveFilesAreReportedAndTheRestIsExported() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add("{\"t\":\"trade\",\"s\":\"S" + (i * 7919 % 101) + "\",\"p\":\"" + (i * 31 % 997) + ".25\",\"q\":\"" + (i * 17 % 89 + 1) + "\",\"id\":\"x" + i + "\"}");
    }
    Archives.write(root, FEED, DATE, "1000", 1, many.subList(0, 100));
    Path truncated = Archives.write(root, FEED, DATE, "1100", 101, many.subList(100, 5000));
    Archives.truncate(truncated, Files.size(truncated) / 2);
    Path notGzip = io.ssmd.archiver.ArchiveFormat.dayDir(root, FEED, DATE).resolve("1200.jsonl.gz");
    Files.writeString(notGzip, "{\"t\":\"trade\"}\n");

    ExportManifest m = exporter().export(root, FEED, DATE, out);

    assertThat(m.archiveProblems()).hasSize(2);
    assertThat(m.archiveProblems().get(0).file()).isEqualTo("1100.jsonl.gz");
    assertThat(m.archiveProblems().get(0).what()).contains("truncated or corrupt");
    assertThat(m.archiveProblems().get(1).file()).isEqualTo("1200.jsonl.gz");
    assertThat(m.archiveProblems().get(1).what()).contains("not a gzip file");
    // every whole line before the damage is exported, and nothing else
    assertThat(m.linesRead()).isGreaterThan(100).isLessThan(5000);
    assertThat(m.linesWithRows()).isEqualTo(m.linesRead());
    assertThat(m.accountsForEveryLine()).isTrue();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      Path trades = out.resolve(FEED).resolve(DATE.toString()).resolve("trade.parquet");
      assertThat(longOf(st, "SELECT count(*) FROM read_parquet(" + Sql.literal(trades) + ")")).isEqualTo(m.linesRead());
      assertThat(longOf(st, "SELECT max(nats_seq) - min(nats_seq) + 1 FROM read_parquet(" + Sql.literal(trades) + ")")).isEqualTo(m.linesRead());
    }
  }

  @Test
  void aMissingDayExportsEmptyTablesAndSaysSo() {
    ExportManifest m = exporter().export(tmp.resolve("archive"), FEED, DATE, tmp.resolve("export"));
    assertThat(m.linesRead()).isZero();
    assertThat(m.files()).hasSize(5).allSatisfy(f -> assertThat(f.rows()).isZero());
    assertThat(m.archiveProblems()).singleElement().satisfies(p -> assertThat(p.what()).contains("no archive files for testvenue 2025-11-22"));
  }

  @Test
  void aFeedWithoutNormalizerIsAClearError() {
    assertThatThrownBy(() -> exporter().export(tmp, "kraken", DATE, tmp.resolve("export")))
        .isInstanceOf(ExportException.class)
        .hasMessage("no normalizer for feed 'kraken' (have: testvenue)");
  }

  @Test
  void aFailedExportLeavesTheEarlierExportOfTheDayIntact() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    writeMixedDay(root);
    ExportManifest first = exporter().export(root, FEED, DATE, out);
    Path day = out.resolve(FEED).resolve(DATE.toString());
    String tradeSha = ParquetExporter.sha256(day.resolve("trade.parquet"));

    // a normalizer that fails hard half-way (an infrastructure failure, not bad input) aborts the export
    ParquetExporter failing = new ParquetExporter(Map.of(FEED, new io.ssmd.market.Normalizer() {
      int n;

      @Override
      public String feed() {
        return FEED;
      }

      @Override
      public io.ssmd.market.Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
        if (++n == 30) {
          throw new OutOfMemoryError("simulated");
        }
        return new TestNormalizer(FEED).normalize(frame, receivedAtMicros, natsSeq);
      }
    }));
    assertThatThrownBy(() -> failing.export(root, FEED, DATE, out)).isInstanceOf(OutOfMemoryError.class);

    assertThat(ParquetExporter.sha256(day.resolve("trade.parquet"))).isEqualTo(tradeSha);
    assertThat(ExportManifest.read(day.resolve(ExportManifest.FILE_NAME))).isEqualTo(first);
    assertThat(Files.list(day).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.startsWith(".duckdb"))).isEmpty();
  }

  @Test
  void aNormalizerThatThrowsRejectsTheLineInsteadOfEndingTheExport() throws Exception {
    Path root = tmp.resolve("archive");
    writeMixedDay(root);
    ParquetExporter throwing = new ParquetExporter(Map.of(FEED, new io.ssmd.market.Normalizer() {
      @Override
      public String feed() {
        return FEED;
      }

      @Override
      public io.ssmd.market.Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq) {
        if (natsSeq == 3) {
          throw new IllegalStateException("bug in venue code");
        }
        return new TestNormalizer(FEED).normalize(frame, receivedAtMicros, natsSeq);
      }
    }));
    ExportManifest m = throwing.export(root, FEED, DATE, tmp.resolve("export"));
    assertThat(m.rejectedByReason().get("normalizer_error").count()).isEqualTo(1);
    assertThat(m.rejectedByReason().get("normalizer_error").examples().get(0).detail()).isEqualTo("IllegalStateException: bug in venue code");
    assertThat(m.rowsByKind()).containsEntry("quote", 0L);
    assertThat(m.accountsForEveryLine()).isTrue();
  }

  static long micros(LocalDateTime ts) {
    return ts.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + ts.getNano() / 1000;
  }

  static long longOf(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String string(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
