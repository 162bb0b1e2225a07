package io.ssmd.secmaster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Read side of the security master for the CLI and services: list and show markets. */
public final class SecurityMaster {
  private static final String SELECT =
      "select m.ticker, m.event_ticker, m.series_ticker, s.category, m.title, e.title as event_title, m.state, m.venue_status,"
          + " m.open_time, m.close_time, m.volume, coalesce(e.fee_type_override, s.fee_type) as fee_type,"
          + " coalesce(e.fee_multiplier_override, s.fee_multiplier) as fee_multiplier, m.updated_at, m.deleted_at"
          + " from kalshi_markets m left join kalshi_events e on e.event_ticker = m.event_ticker"
          + " left join kalshi_series s on s.ticker = m.series_ticker";

  private final Database db;
  private final Clock clock;

  public SecurityMaster(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Listed (not soft-deleted) markets matching the query, by close time then ticker. */
  public List<MarketRecord> list(MarketQuery q) throws SQLException {
    requireFeed(q.feed());
    StringBuilder sql = new StringBuilder(SELECT).append(" where m.deleted_at is null");
    List<Object> args = new ArrayList<>();
    if (q.state() != null) {
      sql.append(" and m.state = ?");
      args.add(q.state().toLowerCase(Locale.ROOT));
    }
    if (q.category() != null) {
      sql.append(" and lower(s.category) = lower(?)");
      args.add(q.category());
    }
    if (q.series() != null) {
      sql.append(" and m.series_ticker = ?");
      args.add(q.series());
    }
    if (q.search() != null) {
      sql.append(" and (m.ticker ilike ? or m.title ilike ? or e.title ilike ?)");
      String like = "%" + q.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      args.add(like);
      args.add(like);
      args.add(like);
    }
    if (q.closingWithin() != null) {
      Instant now = clock.instant();
      sql.append(" and m.close_time >= ? and m.close_time <= ?");
      args.add(Timestamp.from(now));
      args.add(Timestamp.from(now.plus(q.closingWithin())));
    }
    sql.append(" order by m.close_time nulls last, m.ticker limit ").append(q.limit());
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<MarketRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(q.feed(), rs));
        }
      }
      return out;
    }
  }

  /** One market by ticker, soft-deleted ones included (their {@code deletedAt} says so). */
  public Optional<MarketRecord> show(String feed, String ticker) throws SQLException {
    requireFeed(feed);
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(SELECT + " where m.ticker = ?")) {
      ps.setString(1, ticker);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(feed, rs)) : Optional.empty();
      }
    }
  }

  private static void requireFeed(String feed) {
    if (!KalshiSync.FEED.equals(feed)) {
      throw new IllegalArgumentException("security master markets are kept for feed kalshi; got feed " + feed);
    }
  }

  private static MarketRecord row(String feed, ResultSet rs) throws SQLException {
    return new MarketRecord(feed, rs.getString("ticker"), rs.getString("event_ticker"), rs.getString("series_ticker"),
        rs.getString("category"), rs.getString("title"), rs.getString("event_title"), rs.getString("state"), rs.getString("venue_status"),
        instant(rs, "open_time"), instant(rs, "close_time"), rs.getBigDecimal("volume"), rs.getString("fee_type"),
        rs.getBigDecimal("fee_multiplier"), instant(rs, "updated_at"), instant(rs, "deleted_at"));
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }
}
