package io.ssmd.export;

import java.util.Locale;

/**
 * The normalized tables, one Parquet file and one query view each ({@link #table()}). Every table
 * starts with the common columns
 *
 * <pre>
 *   feed VARCHAR, instrument VARCHAR,
 *   exchange_ts TIMESTAMP   -- UTC, µs; NULL when the venue frame carries no time
 *   received_ts TIMESTAMP   -- UTC, µs, capture time (_received_at)
 *   nats_seq BIGINT         -- stream sequence (_nats_seq)
 * </pre>
 *
 * then its own columns (prices and sizes are {@code DECIMAL(18,8)}: up to 10 integer and exactly 8
 * fractional digits, never a floating type; a value that does not fit rejects its line with reason
 * {@code precision} or {@code out_of_range} rather than being rounded):
 *
 * <ul>
 *   <li>{@code trade}: trade_id VARCHAR, price, size, aggressor VARCHAR (bid = buyer-initiated, ask, unknown)
 *   <li>{@code quote}: bid_price, bid_size, ask_price, ask_size, last_price (each NULL when not sent)
 *   <li>{@code book_snapshot}: one row per level: snapshot_id BIGINT (1, 2, … in capture order per
 *       feed and day), side VARCHAR (bid, ask), level INTEGER (0 = best), price, size, checksum BIGINT.
 *       A snapshot without levels (a cleared book) is one row with side, level, price and size NULL,
 *       so the reset is not lost.
 *   <li>{@code book_delta}: side, price, size, is_increment BOOLEAN, sequence BIGINT, checksum BIGINT
 *   <li>{@code lifecycle}: event VARCHAR, detail VARCHAR (compact JSON)
 * </ul>
 *
 * Rows keep capture order (archive file order, then line order).
 */
public enum ExportKind {
  TRADE(
      "trade_id VARCHAR, price_u BIGINT, size_u BIGINT, aggressor VARCHAR",
      "trade_id, " + dec("price_u", "price") + ", " + dec("size_u", "size") + ", aggressor"),
  QUOTE(
      "bid_price_u BIGINT, bid_size_u BIGINT, ask_price_u BIGINT, ask_size_u BIGINT, last_price_u BIGINT",
      dec("bid_price_u", "bid_price") + ", " + dec("bid_size_u", "bid_size") + ", " + dec("ask_price_u", "ask_price") + ", "
          + dec("ask_size_u", "ask_size") + ", " + dec("last_price_u", "last_price")),
  BOOK_SNAPSHOT(
      "snapshot_id BIGINT, side VARCHAR, level INTEGER, price_u BIGINT, size_u BIGINT, checksum BIGINT",
      "snapshot_id, side, level, " + dec("price_u", "price") + ", " + dec("size_u", "size") + ", checksum"),
  BOOK_DELTA(
      "side VARCHAR, price_u BIGINT, size_u BIGINT, is_increment BOOLEAN, sequence BIGINT, checksum BIGINT",
      "side, " + dec("price_u", "price") + ", " + dec("size_u", "size") + ", is_increment, sequence, checksum"),
  LIFECYCLE("event VARCHAR, detail VARCHAR", "event, detail");

  /** SQL type of every price and size column. */
  public static final String DECIMAL_TYPE = "DECIMAL(18,8)";

  static final int SCALE = 8;

  private final String stagingColumns;
  private final String selectColumns;

  ExportKind(String stagingColumns, String selectColumns) {
    this.stagingColumns = stagingColumns;
    this.selectColumns = selectColumns;
  }

  /** Table, view and file base name: {@code trade}, {@code quote}, {@code book_snapshot}, {@code book_delta}, {@code lifecycle}. */
  public String table() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code {table}.parquet}. */
  public String fileName() {
    return table() + ".parquet";
  }

  /** The kind whose {@link #table()} (= {@code MarketEvent.kind()}) is {@code name}. */
  public static ExportKind of(String name) {
    for (ExportKind k : values()) {
      if (k.table().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown normalized kind '" + name + "' (expected trade, quote, book_snapshot, book_delta or lifecycle)");
  }

  /**
   * Staging table DDL. The staging tables hold times as epoch µs and decimals as their unscaled
   * value at scale 8 in a BIGINT: the appender's BIGINT path is several times faster than its
   * BigDecimal path, and the latter silently rounds extra digits.
   */
  String stagingDdl(String name) {
    return "CREATE TABLE " + name + " (instrument VARCHAR, exchange_us BIGINT, received_us BIGINT, nats_seq BIGINT, "
        + stagingColumns + ")";
  }

  /** The typed rows of a staging table, as exported. */
  String select(String stagingTable, String feed) {
    return "SELECT " + Sql.literal(feed) + " AS feed, instrument, "
        + "CASE WHEN exchange_us = 0 THEN NULL ELSE make_timestamp(exchange_us) END AS exchange_ts, "
        + "make_timestamp(received_us) AS received_ts, nats_seq, " + selectColumns + " FROM " + stagingTable;
  }

  // unscaled BIGINT -> DECIMAL(18,8): DuckDB multiplies the unscaled integers (x * 1 at scale 8), exact
  private static String dec(String column, String alias) {
    return "CAST(CAST(" + column + " AS DECIMAL(18,0)) * 0.00000001 AS " + DECIMAL_TYPE + ") AS " + alias;
  }
}
