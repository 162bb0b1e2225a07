package io.ssmd.export;

import static io.ssmd.export.ParquetExporterIT.DATE;
import static io.ssmd.export.ParquetExporterIT.FEED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ArchiveQueryIT {
  @TempDir Path tmp;

  private static final String TRADES_BY_SYMBOL =
      "SELECT instrument, count(*) AS n, sum(size) AS volume, min(price) AS low FROM trade GROUP BY instrument ORDER BY instrument";
  private static final String TRADES_TABLE = """
      instrument |  n | volume |  low
      -----------+----+--------+-----
      KX-0       | 17 |  433.5 |  0.1
      KX-1       | 17 |  450.5 | 0.11
      KX-2       | 16 |    416 | 0.12
      KX-A       |  1 |      3 | 0.12
      (4 rows)
      """;

  private static Map<String, io.ssmd.market.Normalizer> normalizers() {
    return Map.of(FEED, new TestNormalizer(FEED));
  }

  @Test
  void queriesTheExportWhenThereIsOne() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    ParquetExporterIT.writeMixedDay(root);
    ParquetExporterIT.exporter().export(root, FEED, DATE, out);

    try (ArchiveQuery q = ArchiveQuery.open(root, out, DATE, List.of(), normalizers())) {
      StringWriter w = new StringWriter();
      QueryOutcome r = q.run(TRADES_BY_SYMBOL, w, OutputFormat.TABLE);
      assertThat(r).isInstanceOfSatisfying(QueryOutcome.Ok.class, ok -> {
        assertThat(ok.rows()).isEqualTo(4);
        assertThat(ok.notes()).singleElement().asString().startsWith("testvenue: from the export of ").contains("64 lines, 5 rejected");
      });
      assertThat(w).hasToString(TRADES_TABLE);
    }
  }

  @Test
  void normalizesTheArchiveOnTheFlyWhenThereIsNoExportAndGivesTheSameAnswer() throws Exception {
    Path root = tmp.resolve("archive");
    ParquetExporterIT.writeMixedDay(root);

    try (ArchiveQuery q = ArchiveQuery.open(root, tmp.resolve("no-export"), DATE, List.of(FEED), normalizers())) {
      StringWriter w = new StringWriter();
      QueryOutcome r = q.run(TRADES_BY_SYMBOL, w, OutputFormat.TABLE);
      assertThat(r).isInstanceOfSatisfying(QueryOutcome.Ok.class, ok -> assertThat(ok.notes())
          .contains("testvenue: normalized from the archive (no export), 64 lines, 5 rejected, 1 archive problem(s)"));
      assertThat(w).hasToString(TRADES_TABLE);

      // the session keeps its views: a second question does not normalize again (no new notes)
      StringWriter w2 = new StringWriter();
      QueryOutcome r2 = q.run("SELECT count(*) AS n FROM book_snapshot WHERE side IS NULL", w2, OutputFormat.CSV);
      assertThat(r2).isEqualTo(new QueryOutcome.Ok(1, List.of()));
      assertThat(w2).hasToString("n\r\n1\r\n");
    }
  }

  @Test
  void rawViewReadsTheArchiveLinesWithTheirCaptureFields() throws Exception {
    Path root = tmp.resolve("archive");
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      frames.add("{\"t\":\"trade\",\"s\":\"BTC/USD\",\"p\":\"" + (100 + i) + ".5\",\"q\":\"1\"}");
    }
    frames.add("PONG");
    Archives.write(root, "kraken", DATE, "0900", 1, frames);
    Archives.write(root, "kraken", DATE, "1000", 22, List.of("{\"channel\":\"heartbeat\"}"));

    try (ArchiveQuery q = ArchiveQuery.open(root, null, DATE, List.of(), Map.of())) {
      assertThat(q.feeds()).containsExactly("kraken");
      StringWriter w = new StringWriter();
      QueryOutcome r = q.run("SELECT count(*) AS lines, min(_nats_seq) AS first, max(_nats_seq) AS last, "
          + "count(*) FILTER (WHERE t = 'trade') AS trades, count(_raw) AS wrapped, "
          + "max(_received_at) - min(_received_at) AS span_us FROM raw_kraken", w, OutputFormat.JSON);
      assertThat(r).isEqualTo(new QueryOutcome.Ok(1, List.of()));
      assertThat(w).hasToString("{\"lines\":22,\"first\":1,\"last\":22,\"trades\":20,\"wrapped\":1,\"span_us\":21}\n");
    }
  }

  @Test
  void viewsCoverEveryFeedExportedOrNot() throws Exception {
    Path root = tmp.resolve("archive");
    Path out = tmp.resolve("export");
    ParquetExporterIT.writeMixedDay(root);
    Archives.write(root, "other", DATE, "0000", 1, List.of("{\"t\":\"trade\",\"s\":\"X\",\"p\":\"2\",\"q\":\"0.00000001\"}"));
    ParquetExporterIT.exporter().export(root, FEED, DATE, out);

    try (ArchiveQuery q = ArchiveQuery.open(root, out, DATE, List.of(), Map.of(FEED, new TestNormalizer(FEED), "other", new TestNormalizer("other")))) {
      assertThat(q.feeds()).containsExactly("other", FEED);
      StringWriter w = new StringWriter();
      q.run("SELECT feed, count(*) AS n, min(size) AS smallest FROM trade GROUP BY feed ORDER BY feed", w, OutputFormat.CSV);
      assertThat(w).hasToString("feed,n,smallest\r\nother,1,0.00000001\r\ntestvenue,51,1.5\r\n");
    }
  }

  @Test
  void sqlErrorsComeBackAsOneClearLine() throws Exception {
    Path root = tmp.resolve("archive");
    ParquetExporterIT.writeMixedDay(root);
    try (ArchiveQuery q = ArchiveQuery.open(root, null, DATE, Set.of(FEED), normalizers())) {
      StringWriter w = new StringWriter();
      assertThat(q.run("SELEC count(*) FROM trade", w, OutputFormat.TABLE)).isInstanceOfSatisfying(QueryOutcome.Failed.class,
          f -> assertThat(f.message()).startsWith("Parser Error: syntax error at or near \"SELEC\"").doesNotContain("\n"));
      assertThat(q.run("SELECT nope FROM trade", w, OutputFormat.TABLE)).isInstanceOfSatisfying(QueryOutcome.Failed.class,
          f -> assertThat(f.message()).startsWith("Binder Error: Referenced column \"nope\" not found").doesNotContain("\n"));
      // the 1400 file of this day holds an undecodable line: DuckDB's own JSON reader refuses it, in one line
      assertThat(q.run("SELECT count(*) FROM raw_testvenue", w, OutputFormat.TABLE)).isInstanceOfSatisfying(QueryOutcome.Failed.class,
          f -> assertThat(f.message()).contains("1400.jsonl.gz").doesNotContain("\n"));
      assertThat(w.toString()).isEmpty();
      // the session is still usable after errors
      assertThat(q.run("SELECT count(*) FROM lifecycle", w, OutputFormat.CSV)).isInstanceOf(QueryOutcome.Ok.class);
      assertThat(w).hasToString("count_star()\r\n1\r\n");
    }
  }

  @Test
  void oneLineDropsTheSourceExcerpt() {
    assertThat(ArchiveQuery.oneLine("Catalog Error: Table with name foo does not exist!\nDid you mean \"trade\"?\nLINE 1: SELECT * FROM foo\n                      ^"))
        .isEqualTo("Catalog Error: Table with name foo does not exist! Did you mean \"trade\"?");
  }
}
