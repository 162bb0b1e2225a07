package io.ssmd.export;

import io.ssmd.archiver.ArchiveLine;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Header;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Lifecycle;
import io.ssmd.market.MarketEvent.Quote;
import io.ssmd.market.MarketEvent.Side;
import io.ssmd.market.MarketEvent.Trade;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Normalizes one feed's archive lines into DuckDB staging tables (one per {@link ExportKind})
 * through the Appender, and counts what became of every line. Not thread-safe: one reader thread
 * feeds it. {@link #finish()} flushes; the staging tables are readable after that through {@link
 * #select(ExportKind)}.
 */
final class DayStager implements AutoCloseable {
  static final int MAX_EXAMPLES = 3;
  static final String NORMALIZER_ERROR = "normalizer_error";
  private static final int MAX_FRAME_CHARS = 200;
  private static final int MAX_DETAIL_CHARS = 300;
  private static final ExportKind[] KINDS = ExportKind.values();

  private final String feed;
  private final Normalizer normalizer;
  private final String prefix;
  private final DuckDBAppender[] appenders = new DuckDBAppender[KINDS.length];
  private final long[] rows = new long[KINDS.length];
  private final long[] events = new long[KINDS.length];
  private final Map<String, Long> skipped = new TreeMap<>();
  private final Map<String, Long> rejectedCounts = new TreeMap<>();
  private final Map<String, List<ExportManifest.RejectedLine>> rejectedExamples = new TreeMap<>();
  private long linesRead;
  private long linesWithRows;
  private long linesSkipped;
  private long linesRejected;
  private long snapshotId;
  private boolean finished;

  /**
   * Creates the staging tables {@code {prefix}_{kind}} on {@code conn}.
   *
   * @param prefix a SQL identifier prefix unique on the connection
   */
  DayStager(DuckDBConnection conn, String prefix, String feed, Normalizer normalizer) throws SQLException {
    this.feed = feed;
    this.normalizer = normalizer;
    this.prefix = prefix;
    try (Statement st = conn.createStatement()) {
      for (ExportKind k : KINDS) {
        st.execute(k.stagingDdl(stagingTable(k)));
      }
    }
    for (ExportKind k : KINDS) {
      appenders[k.ordinal()] = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, stagingTable(k));
    }
  }

  String stagingTable(ExportKind kind) {
    return prefix + "_" + kind.table();
  }

  /** The typed rows of a kind (valid after {@link #finish()}). */
  String select(ExportKind kind) {
    return kind.select(stagingTable(kind), feed);
  }

  /** Normalizes one line and appends its rows; every line ends up counted exactly once. */
  void accept(ArchiveLine line) {
    record(line, normalize(normalizer, line));
  }

  /**
   * What {@code normalizer} makes of a line; thread-safe when the normalizer is (the contract says
   * pure). A normalizer that throws despite its contract rejects the line as {@code
   * normalizer_error} instead of ending the export.
   */
  static Normalized normalize(Normalizer normalizer, ArchiveLine line) {
    try {
      return normalizer.normalize(line.frame(), line.receivedAtMicros(), line.natsSeq());
    } catch (RuntimeException e) {
      return new Normalized.Rejected(NORMALIZER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  Normalizer normalizer() {
    return normalizer;
  }

  /** Appends the rows of a line normalized elsewhere ({@link #normalize}); lines must come in capture order. */
  void record(ArchiveLine line, Normalized n) {
    linesRead++;
    switch (n) {
      case Normalized.Skipped s -> skip(s.reason() == null || s.reason().isBlank() ? "unspecified" : s.reason());
      case Normalized.Rejected r -> reject(r.reason() == null || r.reason().isBlank() ? "unspecified" : r.reason(), r.detail(), line);
      case Normalized.Events e -> appendAll(e.events(), line);
    }
  }

  private void appendAll(List<MarketEvent> list, ArchiveLine line) {
    if (list.isEmpty()) {
      skip("no_events");
      return;
    }
    // check every value first: a line is written whole or rejected whole, never in part
    for (MarketEvent ev : list) {
      String[] misfit = misfit(ev);
      if (misfit != null) {
        reject(misfit[0], misfit[1], line);
        return;
      }
    }
    try {
      for (MarketEvent ev : list) {
        append(ev);
      }
    } catch (SQLException e) {
      throw new ExportException("DuckDB appender failed on " + feed + " " + line.file() + " seq " + line.natsSeq() + ": " + e.getMessage(), e);
    }
    linesWithRows++;
  }

  private void append(MarketEvent ev) throws SQLException {
    ExportKind kind = switch (ev) {
      case Trade t -> ExportKind.TRADE;
      case Quote q -> ExportKind.QUOTE;
      case BookSnapshot b -> ExportKind.BOOK_SNAPSHOT;
      case BookDelta d -> ExportKind.BOOK_DELTA;
      case Lifecycle l -> ExportKind.LIFECYCLE;
    };
    DuckDBAppender ap = appenders[kind.ordinal()];
    events[kind.ordinal()]++;
    switch (ev) {
      case Trade t -> {
        header(ap, t.header());
        ap.append(t.tradeId());
        ap.append(Decimals.unscaled(t.price()));
        ap.append(Decimals.unscaled(t.size()));
        ap.append(side(t.aggressor()));
        ap.endRow();
        rows[kind.ordinal()]++;
      }
      case Quote q -> {
        header(ap, q.header());
        decimal(ap, q.bidPrice());
        decimal(ap, q.bidSize());
        decimal(ap, q.askPrice());
        decimal(ap, q.askSize());
        decimal(ap, q.lastPrice());
        ap.endRow();
        rows[kind.ordinal()]++;
      }
      case BookSnapshot b -> {
        long id = ++snapshotId;
        if (b.bids().isEmpty() && b.asks().isEmpty()) {
          header(ap, b.header());
          ap.append(id);
          ap.append((String) null);
          ap.append((String) null);
          ap.append((String) null);
          ap.append((String) null);
          nullableLong(ap, b.checksum());
          ap.endRow();
          rows[kind.ordinal()]++;
        }
        levels(ap, b, id, b.bids(), "bid", kind);
        levels(ap, b, id, b.asks(), "ask", kind);
      }
      case BookDelta d -> {
        header(ap, d.header());
        ap.append(side(d.side()));
        ap.append(Decimals.unscaled(d.price()));
        ap.append(Decimals.unscaled(d.size()));
        ap.append(d.isIncrement());
        nullableLong(ap, d.sequence());
        nullableLong(ap, d.checksum());
        ap.endRow();
        rows[kind.ordinal()]++;
      }
      case Lifecycle l -> {
        header(ap, l.header());
        ap.append(l.event());
        ap.append(l.detail());
        ap.endRow();
        rows[kind.ordinal()]++;
      }
    }
  }

  private void levels(DuckDBAppender ap, BookSnapshot b, long id, List<Level> levels, String side, ExportKind kind) throws SQLException {
    for (int i = 0; i < levels.size(); i++) {
      Level lv = levels.get(i);
      header(ap, b.header());
      ap.append(id);
      ap.append(side);
      ap.append(i);
      ap.append(Decimals.unscaled(lv.price()));
      ap.append(Decimals.unscaled(lv.size()));
      nullableLong(ap, b.checksum());
      ap.endRow();
      rows[kind.ordinal()]++;
    }
  }

  private static void header(DuckDBAppender ap, Header h) throws SQLException {
    ap.beginRow();
    ap.append(h.instrument());
    ap.append(h.exchangeTimeMicros());
    ap.append(h.receivedAtMicros());
    ap.append(h.natsSeq());
  }

  private static void decimal(DuckDBAppender ap, BigDecimal v) throws SQLException {
    if (v == null) {
      ap.append((String) null); // the appender's only null path; valid for any column type
    } else {
      ap.append(Decimals.unscaled(v));
    }
  }

  private static void nullableLong(DuckDBAppender ap, Long v) throws SQLException {
    if (v == null) {
      ap.append((String) null);
    } else {
      ap.append(v.longValue());
    }
  }

  private static String side(Side s) {
    return switch (s) {
      case BID -> "bid";
      case ASK -> "ask";
      case UNKNOWN -> "unknown";
    };
  }

  /** {reason, detail} when a value of the event does not fit the schema, else null. */
  private static String[] misfit(MarketEvent ev) {
    return switch (ev) {
      case Trade t -> first(ev, "price", t.price(), "size", t.size());
      case Quote q -> {
        String[] m = first(ev, "bid_price", q.bidPrice(), "bid_size", q.bidSize());
        if (m == null) {
          m = first(ev, "ask_price", q.askPrice(), "ask_size", q.askSize());
        }
        yield m == null ? first(ev, "last_price", q.lastPrice(), "last_price", null) : m;
      }
      case BookSnapshot b -> {
        for (Level lv : b.bids()) {
          String[] m = first(ev, "bid price", lv.price(), "bid size", lv.size());
          if (m != null) {
            yield m;
          }
        }
        for (Level lv : b.asks()) {
          String[] m = first(ev, "ask price", lv.price(), "ask size", lv.size());
          if (m != null) {
            yield m;
          }
        }
        yield null;
      }
      case BookDelta d -> first(ev, "price", d.price(), "size", d.size());
      case Lifecycle l -> null;
    };
  }

  private static String[] first(MarketEvent ev, String n1, BigDecimal v1, String n2, BigDecimal v2) {
    String r = Decimals.misfit(v1);
    if (r != null) {
      return new String[] {r, ev.kind() + " " + n1 + " " + v1.toPlainString() + " does not fit " + ExportKind.DECIMAL_TYPE};
    }
    r = Decimals.misfit(v2);
    if (r != null) {
      return new String[] {r, ev.kind() + " " + n2 + " " + v2.toPlainString() + " does not fit " + ExportKind.DECIMAL_TYPE};
    }
    return null;
  }

  private void skip(String reason) {
    linesSkipped++;
    skipped.merge(reason, 1L, Long::sum);
  }

  private void reject(String reason, String detail, ArchiveLine line) {
    linesRejected++;
    rejectedCounts.merge(reason, 1L, Long::sum);
    List<ExportManifest.RejectedLine> ex = rejectedExamples.computeIfAbsent(reason, r -> new ArrayList<>());
    if (ex.size() < MAX_EXAMPLES) {
      ex.add(new ExportManifest.RejectedLine(line.file(), line.natsSeq(), clip(detail, MAX_DETAIL_CHARS), frameExcerpt(line.frame())));
    }
  }

  private static String frameExcerpt(byte[] frame) {
    int n = Math.min(frame.length, MAX_FRAME_CHARS * 4);
    return clip(new String(frame, 0, n, StandardCharsets.UTF_8), MAX_FRAME_CHARS);
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** Flushes the appenders; the staging tables are complete afterwards. Idempotent. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    SQLException first = null;
    for (DuckDBAppender ap : appenders) {
      if (ap == null) {
        continue;
      }
      try {
        ap.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw new ExportException("DuckDB appender flush failed for " + feed + ": " + first.getMessage(), first);
    }
  }

  @Override
  public void close() {
    finish();
  }

  long linesRead() {
    return linesRead;
  }

  long linesWithRows() {
    return linesWithRows;
  }

  long linesSkipped() {
    return linesSkipped;
  }

  long linesRejected() {
    return linesRejected;
  }

  Map<String, Long> skippedByReason() {
    return skipped;
  }

  Map<String, ExportManifest.Rejections> rejectedByReason() {
    Map<String, ExportManifest.Rejections> out = new LinkedHashMap<>();
    rejectedCounts.forEach((reason, n) -> out.put(reason, new ExportManifest.Rejections(n, rejectedExamples.getOrDefault(reason, List.of()))));
    return out;
  }

  Map<ExportKind, Long> rowsByKind() {
    Map<ExportKind, Long> m = new EnumMap<>(ExportKind.class);
    for (ExportKind k : KINDS) {
      m.put(k, rows[k.ordinal()]);
    }
    return m;
  }

  Map<ExportKind, Long> eventsByKind() {
    Map<ExportKind, Long> m = new EnumMap<>(ExportKind.class);
    for (ExportKind k : KINDS) {
      m.put(k, events[k.ordinal()]);
    }
    return m;
  }
}
