package io.ssmd.secmaster;

import io.ssmd.secmaster.MarketRecord.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Read side of the security master for the CLI and services: list and show markets of every feed
 * ({@code kalshi}, {@code kraken}, {@code polymarket}) in the one {@link MarketRecord} shape.
 *
 * <p>Each feed is one SELECT producing the common columns (how a Kraken pair or a Polymarket market
 * maps onto them is documented on {@link MarketRecord}); the filters wrap it, so they mean the same
 * for every feed. Filters a feed has no data for ({@code category} and {@code series} on
 * Polymarket, {@code series} and {@code closingWithin} on Kraken) are refused with {@link
 * IllegalArgumentException}, since silently matching nothing would look like an empty venue.
 */
public final class SecurityMaster {
  /** Feeds the security master keeps. */
  public static final List<String> FEEDS = List.of("kalshi", "kraken", "polymarket");

  /** One feed's mapping onto the common columns. */
  private record Source(String select, String lookup, List<String> attributes, List<String> unsupported) {}

  private static final Source KALSHI = new Source(
      "select m.ticker, m.event_ticker, m.series_ticker, s.category, m.title, e.title as event_title, m.state, m.venue_status,"
          + " m.open_time, m.close_time, m.volume, coalesce(e.fee_type_override, s.fee_type) as fee_type,"
          + " coalesce(e.fee_multiplier_override, s.fee_multiplier) as fee_multiplier, m.updated_at, m.deleted_at,"
          + " null::text as search_alt, m.market_type, m.result"
          + " from kalshi_markets m left join kalshi_events e on e.event_ticker = m.event_ticker"
          + " left join kalshi_series s on s.ticker = m.series_ticker",
      "x.ticker = ?",
      List.of("market_type", "result"),
      List.of());
  private static final Source KRAKEN = new Source(
      "select p.symbol as ticker, null::text as event_ticker, null::text as series_ticker, p.aclass_base as category,"
          + " p.wsname as title, null::text as event_title,"
          + " case p.status when 'online' then 'open' when 'delisted' then 'closed' else 'paused' end as state,"
          + " p.status as venue_status, null::timestamptz as open_time, null::timestamptz as close_time, null::numeric as volume,"
          + " null::text as fee_type, null::numeric as fee_multiplier, p.updated_at, p.deleted_at,"
          + " concat_ws(' ', p.altname, p.rest_name) as search_alt, p.wsname, p.altname, p.rest_name, p.base, p.quote,"
          + " p.price_precision::text, p.qty_precision::text, p.cost_precision::text, p.price_increment::text,"
          + " p.qty_increment::text, p.ordermin::text, p.costmin::text, p.tick_size::text, p.marginable::text"
          + " from kraken_pairs p",
      "(x.ticker = ? or x.wsname = ? or x.altname = ? or x.rest_name = ?)",
      List.of("wsname", "altname", "rest_name", "base", "quote", "price_precision", "qty_precision", "cost_precision",
          "price_increment", "qty_increment", "ordermin", "costmin", "tick_size", "marginable"),
      List.of("series", "closingWithin"));
  private static final Source POLYMARKET = new Source(
      "select m.condition_id as ticker, m.event_id as event_ticker, null::text as series_ticker, null::text as category,"
          + " m.question as title, e.title as event_title,"
          + " case when m.closed or m.archived then 'closed' when m.active and coalesce(m.accepting_orders, true) then 'open'"
          + " when m.active then 'paused' else 'unopened' end as state,"
          + " case when m.archived then 'archived' when m.closed then 'closed' when m.active then 'active' else 'inactive' end"
          + " as venue_status, m.start_date as open_time, m.end_date as close_time, null::numeric as volume,"
          + " null::text as fee_type, null::numeric as fee_multiplier, m.updated_at, m.deleted_at,"
          + " m.slug as search_alt, m.slug, m.market_id, e.slug as event_slug, m.tick_size::text, m.min_order_size::text,"
          + " m.neg_risk::text, m.accepting_orders::text, m.enable_order_book::text"
          + " from polymarket_markets m left join polymarket_events e on e.event_id = m.event_id",
      "(x.ticker = ? or x.slug = ? or x.market_id = ?"
          + " or x.ticker = (select t.condition_id from polymarket_tokens t where t.token_id = ? and t.deleted_at is null))",
      List.of("slug", "market_id", "event_slug", "tick_size", "min_order_size", "neg_risk", "accepting_orders", "enable_order_book"),
      List.of("category", "series"));

  private final Database db;
  private final Clock clock;

  public SecurityMaster(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Listed (not soft-deleted) markets matching the query, by close time then ticker; a keyset page
   * ({@link MarketQuery#after}) in ticker order.
   *
   * @throws IllegalArgumentException for an unknown feed or a filter the feed has no data for
   */
  public List<MarketRecord> list(MarketQuery q) throws SQLException {
    Source src = source(q.feed());
    refuseUnsupported(q, src);
    StringBuilder sql = new StringBuilder("select * from (").append(src.select()).append(") x where x.deleted_at is null");
    List<Object> args = new ArrayList<>();
    if (q.state() != null) {
      sql.append(" and x.state = ?");
      args.add(q.state().toLowerCase(Locale.ROOT));
    }
    if (q.category() != null) {
      sql.append(" and lower(x.category) = lower(?)");
      args.add(q.category());
    }
    if (q.series() != null) {
      sql.append(" and x.series_ticker = ?");
      args.add(q.series());
    }
    if (q.search() != null) {
      sql.append(" and (x.ticker ilike ? or x.title ilike ? or x.event_title ilike ? or x.search_alt ilike ?)");
      String like = "%" + q.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      for (int i = 0; i < 4; i++) {
        args.add(like);
      }
    }
    if (q.closingWithin() != null) {
      Instant now = clock.instant();
      sql.append(" and x.close_time >= ? and x.close_time <= ?");
      args.add(Timestamp.from(now));
      args.add(Timestamp.from(now.plus(q.closingWithin())));
    }
    if (q.after() != null) {
      // byte order, so the cache's keyset pages (Java string order) agree whatever the database's collation
      sql.append(" and x.ticker collate \"C\" > ? order by x.ticker collate \"C\" limit ").append(q.limit());
      args.add(q.after());
    } else {
      sql.append(" order by x.close_time nulls last, x.ticker limit ").append(q.limit());
    }
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<MarketRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(q.feed(), src, rs));
        }
      }
      return src == POLYMARKET ? withOutcomes(c, out) : out;
    }
  }

  /**
   * One market by ticker, soft-deleted ones included (their {@code deletedAt} says so). Kraken pairs
   * are also found by wsname, altname or REST name; Polymarket markets by slug, market id or one of
   * their token ids.
   */
  public Optional<MarketRecord> show(String feed, String ticker) throws SQLException {
    Source src = source(feed);
    String sql = "select * from (" + src.select() + ") x where " + src.lookup() + " order by x.deleted_at nulls first limit 1";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int params = (int) sql.chars().filter(ch -> ch == '?').count();
      for (int i = 1; i <= params; i++) {
        ps.setString(i, ticker);
      }
      MarketRecord found;
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        found = row(feed, src, rs);
      }
      return Optional.of(src == POLYMARKET ? withOutcomes(c, List.of(found)).getFirst() : found);
    }
  }

  /**
   * Checks that the query's feed is kept and its filters apply to it (what {@link #list} refuses),
   * for callers answering from elsewhere (the cache).
   *
   * @throws IllegalArgumentException naming the feed or filter
   */
  public static void validate(MarketQuery q) {
    refuseUnsupported(q, source(q.feed()));
  }

  private static Source source(String feed) {
    return switch (Objects.requireNonNull(feed, "feed")) {
      case "kalshi" -> KALSHI;
      case "kraken" -> KRAKEN;
      case "polymarket" -> POLYMARKET;
      default -> throw new IllegalArgumentException("the security master keeps feeds " + String.join(", ", FEEDS) + "; got feed " + feed);
    };
  }

  private static void refuseUnsupported(MarketQuery q, Source src) {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("category", q.category());
    given.put("series", q.series());
    given.put("closingWithin", q.closingWithin());
    for (String f : src.unsupported()) {
      if (given.get(f) != null) {
        throw new IllegalArgumentException("filter " + f + " does not apply to feed " + q.feed() + " (it has no such data)");
      }
    }
  }

  /** Attaches each Polymarket market's listed tokens, in outcome order, with one query. */
  private static List<MarketRecord> withOutcomes(Connection c, List<MarketRecord> markets) throws SQLException {
    if (markets.isEmpty()) {
      return markets;
    }
    Map<String, List<Outcome>> byMarket = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("select condition_id, token_id, outcome, outcome_index from polymarket_tokens"
        + " where condition_id = any(?) and deleted_at is null order by condition_id, outcome_index")) {
      ps.setArray(1, c.createArrayOf("text", markets.stream().map(MarketRecord::ticker).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byMarket.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Outcome(rs.getString(2), rs.getString(3), rs.getInt(4)));
        }
      }
    }
    List<MarketRecord> out = new ArrayList<>(markets.size());
    for (MarketRecord m : markets) {
      out.add(m.withOutcomes(byMarket.getOrDefault(m.ticker(), List.of())));
    }
    return out;
  }

  private static MarketRecord row(String feed, Source src, ResultSet rs) throws SQLException {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String a : src.attributes()) {
      String v = rs.getString(a);
      if (v != null) {
        attributes.put(a, v);
      }
    }
    return new MarketRecord(feed, rs.getString("ticker"), rs.getString("event_ticker"), rs.getString("series_ticker"),
        rs.getString("category"), rs.getString("title"), rs.getString("event_title"), rs.getString("state"), rs.getString("venue_status"),
        instant(rs, "open_time"), instant(rs, "close_time"), rs.getBigDecimal("volume"), rs.getString("fee_type"),
        rs.getBigDecimal("fee_multiplier"), instant(rs, "updated_at"), instant(rs, "deleted_at"), attributes, List.of());
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }
}
