package io.ssmd.export;

import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.Normalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Benchmark pieces for the bench harness (they print nothing): the export of one feed and day next
 * to DuckDB's own {@code COPY (SELECT * FROM read_json(…)) TO '….parquet'} of the same archive
 * files, the raw limit of turning those files into Parquet.
 */
public final class ExportBenchmark {

  /**
   * @param lines archive lines the export read
   * @param rows rows the export wrote over every kind
   * @param export wall time of {@link ParquetExporter#export(Path, String, LocalDate, Path)} (read, normalize, append, COPY, manifest)
   * @param duckDbRows rows DuckDB's raw COPY wrote (one per line)
   * @param duckDbCopy wall time of DuckDB's raw COPY
   */
  public record Result(long lines, long rows, Duration export, long duckDbRows, Duration duckDbCopy) {
    /** {@code export / duckDbCopy}: 1.0 is as fast as DuckDB's raw COPY, the issue aims at &lt;= 1.5. */
    public double ratio() {
      return (double) export.toNanos() / Math.max(1, duckDbCopy.toNanos());
    }
  }

  /** DuckDB's raw COPY: rows written (one per archive line) and wall time. */
  public record RawCopy(long rows, Duration duration) {}

  private ExportBenchmark() {}

  /**
   * Exports {@code {archiveRoot}/{feed}/{date}} into {@code {workDir}/export} with {@code normalizer},
   * then has DuckDB copy the same files to {@code {workDir}/duckdb-raw.parquet}, timing each.
   *
   * @throws ExportException when either side fails
   */
  public static Result exportVsDuckDbCopy(Path archiveRoot, String feed, LocalDate date, Normalizer normalizer, Path workDir) {
    ExportManifest m;
    long t0 = System.nanoTime();
    m = new ParquetExporter(Map.of(feed, normalizer)).export(archiveRoot, feed, date, workDir.resolve("export"));
    Duration export = Duration.ofNanos(System.nanoTime() - t0);
    RawCopy copy = duckDbCopy(archiveRoot, feed, date, workDir.resolve("duckdb-raw.parquet"));
    return new Result(m.linesRead(), m.totalRows(), export, copy.rows(), copy.duration());
  }

  /**
   * DuckDB alone: {@code COPY (SELECT * FROM read_json([files], format='newline_delimited',
   * compression='gzip')) TO target (FORMAT PARQUET, COMPRESSION ZSTD)}.
   */
  public static RawCopy duckDbCopy(Path archiveRoot, String feed, LocalDate date, Path target) {
    Path scratch = null;
    try {
      List<Path> files = ArchiveReader.open(archiveRoot, feed, date).files();
      if (files.isEmpty()) {
        throw new ExportException("no archive files for " + feed + " " + date + " under " + archiveRoot);
      }
      String list = files.stream().map(Sql::literal).collect(Collectors.joining(", ", "[", "]"));
      Files.createDirectories(target.toAbsolutePath().getParent());
      scratch = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".duckdb-");
      try (Connection c = ParquetExporter.openDuckDb(scratch); Statement st = c.createStatement()) {
        long t0 = System.nanoTime();
        st.execute("COPY (SELECT * FROM read_json(" + list + ", format = 'newline_delimited', compression = 'gzip')) TO "
            + Sql.literal(target) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
        Duration d = Duration.ofNanos(System.nanoTime() - t0);
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(" + Sql.literal(target) + ")")) {
          rs.next();
          return new RawCopy(rs.getLong(1), d);
        }
      }
    } catch (IOException | SQLException e) {
      throw new ExportException("DuckDB raw COPY of " + feed + " " + date + " failed: " + e.getMessage(), e);
    } finally {
      ParquetExporter.deleteTree(scratch);
    }
  }
}
