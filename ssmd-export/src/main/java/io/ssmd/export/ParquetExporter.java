package io.ssmd.export;

import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.Normalizer;
import io.ssmd.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a day of a feed's archive to typed Parquet: {@code {out}/{feed}/{date}/{kind}.parquet}
 * for every {@link ExportKind} (always all five, possibly empty, so readers see one schema) and
 * {@code {out}/{feed}/{date}/export-manifest.json} ({@link ExportManifest}) accounting for every
 * archive line.
 *
 * <p>Lines are normalized by the caller's {@link Normalizer} for the feed, appended to in-memory
 * DuckDB staging tables through the Appender, and written with {@code COPY … TO … (FORMAT PARQUET,
 * COMPRESSION ZSTD)}. Files are written as {@code *.tmp} and renamed when all are complete, the
 * manifest last, so a failed export leaves an earlier export of the same day as it was. With an
 * {@link ObjectStore} the files and then the manifest are uploaded to it under {@code
 * {feed}/{date}/…} (the {@code normalized} bucket), each verified by the store.
 *
 * <p>Thread-safe if the normalizers are: every export uses its own DuckDB instance.
 */
public final class ParquetExporter {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetExporter.class);

  private final Map<String, Normalizer> normalizers;
  private final ObjectStore normalizedStore;

  /** An exporter writing locally only. */
  public ParquetExporter(Map<String, Normalizer> normalizers) {
    this(normalizers, null);
  }

  /**
   * @param normalizers the normalizer of each feed, by feed name
   * @param normalizedStore where to upload the outputs (the {@code normalized} bucket), or null for none
   */
  public ParquetExporter(Map<String, Normalizer> normalizers, ObjectStore normalizedStore) {
    this.normalizers = Map.copyOf(Objects.requireNonNull(normalizers, "normalizers"));
    this.normalizedStore = normalizedStore;
  }

  /** Exports each feed in turn; stops at the first feed that cannot be exported. */
  public List<ExportManifest> export(Path archiveRoot, Collection<String> feeds, LocalDate date, Path outRoot) {
    List<ExportManifest> out = new ArrayList<>();
    for (String feed : feeds) {
      out.add(export(archiveRoot, feed, date, outRoot));
    }
    return out;
  }

  /**
   * Exports one feed and day. Damaged archive files and bad lines do not fail the export: they are
   * reported in the returned manifest.
   *
   * @throws ExportException when there is no normalizer for the feed, the output cannot be
   *     written, DuckDB fails, or the upload fails (the local export is complete in that case)
   */
  public ExportManifest export(Path archiveRoot, String feed, LocalDate date, Path outRoot) {
    Normalizer normalizer = normalizers.get(feed);
    if (normalizer == null) {
      throw new ExportException("no normalizer for feed '" + feed + "' (have: " + String.join(", ", normalizers.keySet().stream().sorted().toList()) + ")");
    }
    Path dayOut = outRoot.resolve(feed).resolve(date.toString());
    long t0 = System.nanoTime();
    ExportManifest manifest;
    Path scratch = null;
    try {
      Files.createDirectories(dayOut);
      scratch = Files.createTempDirectory(dayOut, ".duckdb-");
      manifest = exportLocal(archiveRoot, feed, date, dayOut, normalizer, scratch);
    } catch (IOException e) {
      throw new ExportException("export of " + feed + " " + date + " to " + dayOut + " failed: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new ExportException("export of " + feed + " " + date + " failed in DuckDB: " + e.getMessage(), e);
    } finally {
      deleteTree(scratch);
    }
    LOG.info("exported {} {}: {} lines read, {} with rows, {} skipped, {} rejected, {} rows, {} archive problems in {} ms",
        feed, date, manifest.linesRead(), manifest.linesWithRows(), manifest.linesSkipped(), manifest.linesRejected(),
        manifest.totalRows(), manifest.archiveProblems().size(), (System.nanoTime() - t0) / 1_000_000);
    for (ExportManifest.ArchiveProblem p : manifest.archiveProblems()) {
      LOG.warn("archive problem in {} {}: {}:{}: {}", feed, date, p.file(), p.line(), p.what());
    }
    if (normalizedStore != null) {
      upload(feed, date, dayOut, manifest);
    }
    return manifest;
  }

  private ExportManifest exportLocal(Path archiveRoot, String feed, LocalDate date, Path dayOut, Normalizer normalizer, Path scratch)
      throws IOException, SQLException {
    ArchiveReader reader = ArchiveReader.open(archiveRoot, feed, date);
    List<Path> archiveFiles = reader.files();
    List<ExportManifest.ArchiveFile> inputs = new ArrayList<>();
    for (Path f : archiveFiles) {
      inputs.add(new ExportManifest.ArchiveFile(f.getFileName().toString(), Files.size(f)));
    }
    List<ExportManifest.ArchiveProblem> problems = new ArrayList<>();
    if (archiveFiles.isEmpty()) {
      problems.add(new ExportManifest.ArchiveProblem("", 0, "no archive files for " + feed + " " + date + " under " + archiveRoot));
    }
    try (Connection c = openDuckDb(scratch); DayStager stager = new DayStager(c.unwrap(DuckDBConnection.class), "stg", feed, normalizer)) {
      long t0 = System.nanoTime();
      NormalizePipeline.run(reader, stager, workers());
      stager.finish();
      long t1 = System.nanoTime();
      for (ArchiveReader.Problem p : reader.problems()) {
        problems.add(new ExportManifest.ArchiveProblem(p.file(), p.line(), p.what()));
      }
      Map<ExportKind, Long> rows = stager.rowsByKind();
      List<ExportManifest.OutputFile> outputs = new ArrayList<>();
      try (Statement st = c.createStatement()) {
        for (ExportKind k : ExportKind.values()) {
          Path tmp = dayOut.resolve(k.fileName() + ".tmp");
          st.execute("COPY (" + stager.select(k) + ") TO " + Sql.literal(tmp) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
          outputs.add(new ExportManifest.OutputFile(k.fileName(), k.table(), rows.get(k), Files.size(tmp), sha256(tmp)));
        }
      }
      LOG.debug("{} {}: read and normalize {} ms, write Parquet {} ms", feed, date, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      ExportManifest manifest = new ExportManifest(feed, date.toString(), "parquet", ExportManifest.FORMAT_VERSION,
          Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), inputs, stager.linesRead(), stager.linesWithRows(),
          stager.linesSkipped(), stager.skippedByReason(), stager.linesRejected(), stager.rejectedByReason(), problems,
          byName(stager.eventsByKind()), byName(rows), outputs);
      // all data files first, the manifest last: a manifest always describes complete files
      for (ExportKind k : ExportKind.values()) {
        Files.move(dayOut.resolve(k.fileName() + ".tmp"), dayOut.resolve(k.fileName()), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      Path mtmp = dayOut.resolve(ExportManifest.FILE_NAME + ".tmp");
      Files.write(mtmp, manifest.toJson());
      Files.move(mtmp, dayOut.resolve(ExportManifest.FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } finally {
      for (ExportKind k : ExportKind.values()) {
        Files.deleteIfExists(dayOut.resolve(k.fileName() + ".tmp"));
      }
    }
  }

  private void upload(String feed, LocalDate date, Path dayOut, ExportManifest manifest) {
    for (ExportManifest.OutputFile f : manifest.files()) {
      normalizedStore.put(feed + "/" + date + "/" + f.name(), dayOut.resolve(f.name()));
    }
    normalizedStore.put(feed + "/" + date + "/" + ExportManifest.FILE_NAME, dayOut.resolve(ExportManifest.FILE_NAME));
    LOG.info("uploaded export of {} {} to {}", feed, date, normalizedStore.describe());
  }

  /** Normalizer threads: the reader and the appender each take a core of their own where there are enough. */
  static int workers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 2);
  }

  /** An in-memory DuckDB that spills to {@code scratch} when a day does not fit in memory. */
  static Connection openDuckDb(Path scratch) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = c.createStatement()) {
      if (scratch != null) {
        st.execute("SET temp_directory = " + Sql.literal(scratch));
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Map<String, Long> byName(Map<ExportKind, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.table(), v));
    return out;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not remove scratch directory {}: {}", dir, e.getMessage());
    }
  }
}
