package io.ssmd.export;

import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.Normalizer;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * SQL over one day ({@code ssmd data query "SQL" --date D [--feed F]}): an in-memory DuckDB with
 *
 * <ul>
 *   <li>one view per {@link ExportKind} ({@code trade}, {@code quote}, {@code book_snapshot},
 *       {@code book_delta}, {@code lifecycle}) over every feed: the feed's exported Parquet when
 *       {@code {export}/{feed}/{date}/export-manifest.json} is there, else the archive normalized
 *       on the fly into temporary tables (same columns as the export);
 *   <li>{@code raw_<feed>} (feed name lower-cased, other than {@code [a-z0-9_]} as {@code _}): the
 *       raw archive lines through DuckDB's {@code read_json(…, format='newline_delimited',
 *       compression='gzip')}, with the frame's fields as DuckDB infers them plus {@code
 *       _received_at} and {@code _nats_seq}. Inferred numbers may be DOUBLE there; the kind views
 *       are the exact ones.
 * </ul>
 *
 * Views are built on first use, only for the names the SQL mentions (all of them when it
 * mentions none, e.g. {@code SHOW TABLES}), so a question about trades does not normalize a day it
 * will not read twice, and a raw question normalizes nothing. Not thread-safe.
 */
public final class ArchiveQuery implements AutoCloseable {
  private static final Pattern KIND_NAMES = Pattern.compile("(?i)\\b(trade|quote|book_snapshot|book_delta|lifecycle)\\b");
  private static final Pattern LITERALS = Pattern.compile("'(?:[^']|'')*'|--[^\\n]*|/\\*(?s:.*?)\\*/");
  private static final Pattern JAVA_PREFIX = Pattern.compile("^(?:[a-z]+\\.)+[A-Za-z]*Exception: ");
  private static final Pattern RAW_NAMES = Pattern.compile("(?i)\\braw_([a-z0-9_]+)\\b");

  private final Path archiveRoot;
  private final Path exportRoot;
  private final LocalDate date;
  private final List<String> feeds;
  private final Map<String, Normalizer> normalizers;
  private final Connection conn;
  private final Path scratch;
  private final List<String> notes = new ArrayList<>();
  private final Set<String> rawBuilt = new TreeSet<>();
  private boolean kindsBuilt;

  private ArchiveQuery(Path archiveRoot, Path exportRoot, LocalDate date, List<String> feeds, Map<String, Normalizer> normalizers,
      Connection conn, Path scratch) {
    this.archiveRoot = archiveRoot;
    this.exportRoot = exportRoot;
    this.date = date;
    this.feeds = feeds;
    this.normalizers = normalizers;
    this.conn = conn;
    this.scratch = scratch;
  }

  /**
   * Opens a query session over a day.
   *
   * @param archiveRoot root of the raw archive ({@code {root}/{feed}/{date}/*.jsonl.gz})
   * @param exportRoot root of Parquet exports, or null to always normalize from the archive
   * @param feeds the feeds to include; empty for every feed that has the day in the archive or the export
   * @param normalizers normalizers by feed, used where there is no export
   * @throws ExportException when DuckDB cannot start
   */
  public static ArchiveQuery open(Path archiveRoot, Path exportRoot, LocalDate date, Collection<String> feeds,
      Map<String, Normalizer> normalizers) {
    List<String> chosen = feeds.isEmpty() ? discoverFeeds(archiveRoot, exportRoot, date) : List.copyOf(new TreeSet<>(feeds));
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("ssmd-query-");
      return new ArchiveQuery(archiveRoot, exportRoot, date, chosen, Map.copyOf(normalizers), ParquetExporter.openDuckDb(scratch), scratch);
    } catch (IOException | SQLException e) {
      ParquetExporter.deleteTree(scratch);
      throw new ExportException("cannot start DuckDB for a query: " + e.getMessage(), e);
    }
  }

  /** The feeds this session covers, sorted. */
  public List<String> feeds() {
    return feeds;
  }

  /** Name of the raw view of a feed: {@code raw_<feed>} with the feed reduced to {@code [a-z0-9_]}. */
  public static String rawView(String feed) {
    return "raw_" + feed.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Runs {@code sql} and writes its result to {@code out}. A SQL error (or an archive that cannot
   * be read for a view) is a {@link QueryOutcome.Failed} with one line, never an exception.
   *
   * @throws IOException when writing to {@code out} fails
   */
  public QueryOutcome run(String sql, Writer out, OutputFormat format) throws IOException {
    int notesBefore = notes.size();
    try {
      prepare(sql);
      try (Statement st = conn.createStatement()) {
        long rows = 0;
        if (st.execute(sql)) {
          try (ResultSet rs = st.getResultSet()) {
            rows = ResultPrinter.print(rs, out, format);
          }
        }
        out.flush();
        return new QueryOutcome.Ok(rows, notes.subList(notesBefore, notes.size()));
      }
    } catch (SQLException e) {
      return new QueryOutcome.Failed(oneLine(e.getMessage()));
    } catch (ExportException e) {
      return new QueryOutcome.Failed(e.getMessage());
    }
  }

  private void prepare(String sql) throws SQLException {
    // names inside string literals and comments (WHERE type = 'trade') are not table references
    String code = LITERALS.matcher(sql).replaceAll(" ");
    boolean kinds = KIND_NAMES.matcher(code).find();
    Set<String> raws = new TreeSet<>();
    Matcher m = RAW_NAMES.matcher(code);
    while (m.find()) {
      raws.add("raw_" + m.group(1).toLowerCase(Locale.ROOT));
    }
    boolean all = !kinds && raws.isEmpty();
    if ((kinds || all) && !kindsBuilt) {
      buildKindViews();
      kindsBuilt = true;
    }
    for (String feed : feeds) {
      String view = rawView(feed);
      if ((all || raws.contains(view)) && rawBuilt.add(view)) {
        buildRawView(feed, view);
      }
    }
  }

  private void buildKindViews() throws SQLException {
    Map<ExportKind, List<String>> parts = new LinkedHashMap<>();
    for (ExportKind k : ExportKind.values()) {
      parts.put(k, new ArrayList<>());
    }
    for (String feed : feeds) {
      Path dayExport = exportRoot == null ? null : exportRoot.resolve(feed).resolve(date.toString());
      if (dayExport != null && Files.isRegularFile(dayExport.resolve(ExportManifest.FILE_NAME))) {
        fromExport(feed, dayExport, parts);
      } else if (normalizers.containsKey(feed)) {
        fromArchive(feed, parts);
      } else {
        notes.add(feed + ": no export for " + date + " and no normalizer; only " + rawView(feed) + " has its data");
      }
    }
    try (Statement st = conn.createStatement()) {
      for (ExportKind k : ExportKind.values()) {
        List<String> p = parts.get(k);
        if (p.isEmpty()) {
          // no feed has this kind: an empty view with the export's columns, so SQL still binds
          st.execute(k.stagingDdl("empty_" + k.table()));
          p.add(k.select("empty_" + k.table(), ""));
        }
        st.execute("CREATE OR REPLACE VIEW " + k.table() + " AS " + String.join(" UNION ALL BY NAME ", p));
      }
    }
  }

  private void fromExport(String feed, Path dayExport, Map<ExportKind, List<String>> parts) {
    ExportManifest manifest;
    try {
      manifest = ExportManifest.read(dayExport.resolve(ExportManifest.FILE_NAME));
    } catch (IOException e) {
      throw new ExportException(e.getMessage(), e);
    }
    for (ExportKind k : ExportKind.values()) {
      Path f = dayExport.resolve(k.fileName());
      if (Files.isRegularFile(f)) {
        parts.get(k).add("SELECT * FROM read_parquet(" + Sql.literal(f) + ")");
      }
    }
    notes.add(feed + ": from the export of " + manifest.createdAt() + summary(manifest.linesRead(), manifest.linesRejected(),
        manifest.archiveProblems().size()));
  }

  private void fromArchive(String feed, Map<ExportKind, List<String>> parts) throws SQLException {
    ArchiveReader reader = ArchiveReader.open(archiveRoot, feed, date);
    String prefix = "norm_" + rawView(feed).substring(4);
    try (DayStager stager = new DayStager(conn.unwrap(DuckDBConnection.class), prefix, feed, normalizers.get(feed))) {
      NormalizePipeline.run(reader, stager, ParquetExporter.workers());
      stager.finish();
      for (ExportKind k : ExportKind.values()) {
        parts.get(k).add(stager.select(k));
      }
      notes.add(feed + ": normalized from the archive (no export)" + summary(stager.linesRead(), stager.linesRejected(), reader.problems().size()));
      for (ArchiveReader.Problem p : reader.problems()) {
        notes.add(feed + ": " + p);
      }
    } catch (IOException e) {
      throw new ExportException("cannot read the " + feed + " archive of " + date + " under " + archiveRoot + ": " + e.getMessage(), e);
    }
  }

  private static String summary(long lines, long rejected, int problems) {
    return ", " + lines + " lines" + (rejected > 0 ? ", " + rejected + " rejected" : "") + (problems > 0 ? ", " + problems + " archive problem(s)" : "");
  }

  private void buildRawView(String feed, String view) throws SQLException {
    List<Path> files;
    try {
      files = ArchiveReader.open(archiveRoot, feed, date).files();
    } catch (IOException e) {
      throw new ExportException("cannot list the " + feed + " archive of " + date + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      notes.add(feed + ": no archive files for " + date + "; " + view + " not created");
      return;
    }
    String list = files.stream().map(Sql::literal).collect(Collectors.joining(", ", "[", "]"));
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT * FROM read_json(" + list
          + ", format = 'newline_delimited', compression = 'gzip')");
    }
  }

  /** The feeds with the day in the archive or the export. */
  private static List<String> discoverFeeds(Path archiveRoot, Path exportRoot, LocalDate date) {
    Set<String> out = new TreeSet<>();
    for (Path root : new Path[] {archiveRoot, exportRoot}) {
      if (root == null || !Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.list(root)) {
        s.filter(p -> Files.isDirectory(ArchiveFormat.dayDir(root, p.getFileName().toString(), date)))
            .forEach(p -> out.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new ExportException("cannot list feeds under " + root + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  /** DuckDB's message on one line: its text without the {@code LINE n:} source excerpt and caret. */
  static String oneLine(String message) {
    if (message == null) {
      return "query failed";
    }
    List<String> kept = new ArrayList<>();
    for (String l : JAVA_PREFIX.matcher(message.strip()).replaceFirst("").split("\\R")) {
      String t = l.strip();
      if (t.startsWith("LINE ")) {
        break;
      }
      if (!t.isEmpty()) {
        kept.add(t);
      }
    }
    return kept.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join(" ", kept);
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new ExportException("closing DuckDB failed: " + e.getMessage(), e);
    } finally {
      ParquetExporter.deleteTree(scratch);
    }
  }
}
