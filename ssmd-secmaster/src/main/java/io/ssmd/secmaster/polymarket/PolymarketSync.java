package io.ssmd.secmaster.polymarket;

import io.ssmd.secmaster.ChangeEventWriter;
import io.ssmd.secmaster.VenueHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Polymarket reference data from the Gamma REST API into {@code polymarket_events},
 * {@code polymarket_markets} and {@code polymarket_tokens}. Pages are fetched by offset until a
 * short page and each page is written in its own transaction, so memory stays bounded by one page
 * whatever the universe size. Upserts move {@code updated_at} only when a tracked column changed;
 * after the last page, rows in the sync's scope that the venue no longer listed are soft-deleted.
 * ADDED / CHANGED / CLOSED / REMOVED change events go to the outbox in the transaction of their row.
 *
 * <p>Besides the {@code event} and {@code market} events, every outcome token gets token-level
 * events (entity {@code token}, ticker = the CLOB asset id), because that is what the Polymarket
 * connector subscribes: {@code ADDED} when the token first appears (or its market is listed again
 * after a soft delete), with {@code state} {@code open} or {@code closed}; {@code ACTIVATED} when its
 * market opens (becomes active and not closed); {@code CLOSED} when its market closes or resolves;
 * {@code REMOVED} when it disappears from the listing (with its market or on its own).
 */
public final class PolymarketSync {

  private static final Logger log = LoggerFactory.getLogger(PolymarketSync.class);

  /** What to enumerate. */
  public enum Mode {
    /**
     * {@code GET /events?active=true&closed=false} with nested markets: Polymarket's recommended
     * way to list every active market. Scope: events and markets that were not closed.
     */
    ACTIVE_EVENTS("/events", "active=true&closed=false"),
    /** {@code GET /markets?active=true&closed=false}. Scope: markets and tokens that were not closed; events untouched. */
    ACTIVE_MARKETS("/markets", "active=true&closed=false"),
    /** {@code GET /markets}, closed ones included. Scope: every market and token; events untouched. */
    ALL_MARKETS("/markets", "");

    final String path;
    final String filter;

    Mode(String path, String filter) {
      this.path = path;
      this.filter = filter;
    }

    boolean events() {
      return path.equals("/events");
    }

    boolean activeOnly() {
      return !filter.isEmpty();
    }
  }

  /**
   * Paging, pacing and retry policy.
   *
   * @param pageSize records per page ({@code limit}); Gamma serves at most 100 in practice
   * @param minRequestInterval the least time between two requests
   * @param maxConsecutiveErrors failures in a row after which the sync fails
   * @param initialBackoff first retry delay, doubled per consecutive failure
   * @param maxBackoff retry delay cap; a longer Retry-After is replaced by it
   * @param requestTimeout connect and response timeout per request
   */
  public record Options(
      int pageSize, Duration minRequestInterval, int maxConsecutiveErrors, Duration initialBackoff, Duration maxBackoff,
      Duration requestTimeout) {
    public Options {
      Objects.requireNonNull(minRequestInterval, "minRequestInterval");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      List<String> problems = new ArrayList<>();
      if (pageSize < 1 || pageSize > 500) {
        problems.add("pageSize must be between 1 and 500, got " + pageSize);
      }
      if (maxConsecutiveErrors < 1) {
        problems.add("maxConsecutiveErrors must be >= 1, got " + maxConsecutiveErrors);
      }
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        problems.add("need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + " and " + maxBackoff);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid Polymarket sync options: " + String.join("; ", problems));
      }
    }

    /** 100 per page, at most 10 requests/s, 5 errors in a row, backoff 0.5 s to 30 s. */
    public static Options defaults() {
      return new Options(100, Duration.ofMillis(100), 5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
  }

  private static final Table EVENTS = new Table("polymarket_events", "event_id", List.of(
      "ticker", "slug", "title", "description", "start_date", "end_date", "active", "closed", "archived", "neg_risk"), true);
  private static final Table MARKETS = new Table("polymarket_markets", "condition_id", List.of(
      "market_id", "event_id", "question", "slug", "description", "start_date", "end_date", "active", "closed", "archived",
      "accepting_orders", "enable_order_book", "tick_size", "min_order_size", "neg_risk"), true);
  private static final Table TOKENS = new Table("polymarket_tokens", "token_id", List.of(
      "condition_id", "outcome", "outcome_index"), false);

  private final DataSource db;
  private final URI gammaBase;
  private final Options options;

  /** @param gammaBase e.g. {@code https://gamma-api.polymarket.com} or the sim's {@code http://127.0.0.1:port} */
  public PolymarketSync(DataSource db, URI gammaBase, Options options) {
    this.db = Objects.requireNonNull(db, "db");
    this.gammaBase = Objects.requireNonNull(gammaBase, "gammaBase");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Runs one sync; on failure, pages already committed stay and nothing is soft-deleted. */
  public PolymarketSyncReport sync(Mode mode) throws PolymarketSyncException, InterruptedException {
    return sync(mode, report -> {});
  }

  /**
   * Runs one sync, handing {@code onPage} a running report after each committed page (for progress
   * on long syncs; soft deletes appear only in the final report).
   */
  public PolymarketSyncReport sync(Mode mode, java.util.function.Consumer<PolymarketSyncReport> onPage)
      throws PolymarketSyncException, InterruptedException {
    Objects.requireNonNull(onPage, "onPage");
    long start = System.nanoTime();
    VenueHttp<PolymarketSyncException> http = new VenueHttp<>(new VenueHttp.Settings(options.minRequestInterval(),
        options.maxConsecutiveErrors(), options.initialBackoff(), options.maxBackoff(), options.requestTimeout()), PolymarketSyncException::new);
    Run run = new Run();
    try (Connection c = db.getConnection()) {
      run.outbox = new ChangeEventWriter();
      try (Statement s = c.createStatement()) {
        // the keys seen so far live in the database, not in memory: a 100k-market sync stays small
        s.execute("CREATE TEMP TABLE IF NOT EXISTS pm_seen_events (event_id text PRIMARY KEY)");
        s.execute("CREATE TEMP TABLE IF NOT EXISTS pm_seen_markets (condition_id text PRIMARY KEY, ok boolean NOT NULL)");
        s.execute("CREATE TEMP TABLE IF NOT EXISTS pm_seen_tokens (token_id text PRIMARY KEY)");
        s.execute("TRUNCATE pm_seen_events, pm_seen_markets, pm_seen_tokens");
      }
      c.setAutoCommit(false);
      int offset = 0;
      while (true) {
        String sep = mode.filter.isEmpty() ? "" : "&";
        URI uri = gammaBase.resolve(mode.path + "?" + mode.filter + sep + "limit=" + options.pageSize() + "&offset=" + offset);
        JsonNode page = http.getJson(uri);
        if (!page.isArray()) {
          throw new PolymarketSyncException("GET " + uri + " did not return a JSON array: " + page.getNodeType());
        }
        run.pages++;
        writePage(c, run, mode, page);
        flushSeen(c, run);
        c.commit();
        onPage.accept(run.report(http, start));
        if (run.pages % 50 == 0) {
          log.info("Polymarket sync {}: {} pages, {} markets so far", mode, run.pages, run.markets.counts().total());
        }
        if (page.size() < options.pageSize()) {
          break;
        }
        offset += page.size();
      }
      softDelete(c, run, mode);
      c.commit();
    } catch (SQLException e) {
      throw new PolymarketSyncException("writing Polymarket reference data failed: " + e.getMessage(), e);
    }
    PolymarketSyncReport report = run.report(http, start);
    log.info("Polymarket sync {}: events {}, markets {}, tokens {}, {} rejected, {} pages, {} rows/s", mode,
        report.events(), report.markets(), report.tokens(), report.rejectedCount(), report.pages(),
        Math.round(report.rowsPerSecond()));
    return report;
  }

  private void writePage(Connection c, Run run, Mode mode, JsonNode page) throws SQLException {
    int position = 0;
    for (JsonNode record : page) {
      position++;
      if (mode.events()) {
        Gamma.EventRow event;
        try {
          event = Gamma.event(record);
        } catch (RuntimeException e) {
          run.reject("event", keyOf(record, "id", run.pages, String.valueOf(position)), e.getMessage());
          continue;
        }
        run.seenEvents.add(event.eventId());
        upsert(c, run, EVENTS, run.events, event.values(), Boolean.TRUE.equals(event.closed()), "event");
        int inEvent = 0;
        for (JsonNode market : record.path("markets")) {
          inEvent++;
          writeMarket(c, run, market, event.eventId(), run.pages, position + "." + inEvent);
        }
      } else {
        writeMarket(c, run, record, null, run.pages, String.valueOf(position));
      }
    }
  }

  private void writeMarket(Connection c, Run run, JsonNode record, String eventId, int page, String position)
      throws SQLException {
    Gamma.MarketRow market;
    try {
      market = Gamma.market(record, eventId);
    } catch (RuntimeException e) {
      String key = keyOf(record, "conditionId", page, position);
      run.reject("market", key, e.getMessage());
      if (record.hasNonNull("conditionId")) {
        // still listed: keep its row and tokens as they were rather than soft-delete them
        run.seenBadMarkets.add(key);
      }
      return;
    }
    run.seenMarkets.add(market.conditionId());
    Upserted m = upsert(c, run, MARKETS, run.markets, market.values(), Boolean.TRUE.equals(market.closed()), "market");
    boolean live = live(market.active(), market.closed());
    // what the market's change means for its tokens: a (re)listed market adds them, a state change opens or closes them
    String marketKind = switch (m) {
      case Upserted.Inserted i -> "ADDED";
      case Upserted.Updated u when u.wasDeleted() -> "ADDED";
      case Upserted.Updated u when live && !u.wasLive() -> "ACTIVATED";
      case Upserted.Updated u when !live && u.wasLive() -> "CLOSED";
      default -> null;
    };
    for (Gamma.TokenRow token : market.tokens()) {
      run.seenTokens.add(token.tokenId());
      Upserted t = upsert(c, run, TOKENS, run.tokens, token.values(), false, null);
      boolean tokenAppeared = t instanceof Upserted.Inserted || (t instanceof Upserted.Updated u && u.wasDeleted());
      String kind = tokenAppeared ? "ADDED" : marketKind;
      if (kind != null) {
        run.outbox.record(c, "polymarket", "token", token.tokenId(), kind, tokenPayload(token, market, live));
      }
    }
  }

  /** A market is live (its tokens worth subscribing) while active and not closed. */
  private static boolean live(Boolean active, Boolean closed) {
    return !Boolean.FALSE.equals(active) && !Boolean.TRUE.equals(closed);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode tokenPayload(Gamma.TokenRow token, Gamma.MarketRow market, boolean live) {
    com.fasterxml.jackson.databind.node.ObjectNode p = VenueHttp.JSON.createObjectNode().put("ticker", token.tokenId())
        .put("token_id", token.tokenId()).put("condition_id", market.conditionId()).put("outcome", token.outcome())
        .put("state", live ? "open" : "closed");
    if (market.eventId() != null) {
      p.put("event_id", market.eventId());
    }
    if (market.slug() != null) {
      p.put("slug", market.slug());
    }
    return p;
  }

  /** What an upsert did to its row. */
  private sealed interface Upserted {
    record Inserted() implements Upserted {}

    /** @param wasLive active and not closed before; @param wasDeleted soft-deleted before (listed again now) */
    record Updated(boolean wasLive, boolean wasDeleted) implements Upserted {}

    record Unchanged() implements Upserted {}
  }

  private static String keyOf(JsonNode record, String field, int page, String position) {
    JsonNode v = record == null ? null : record.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : "page " + page + " #" + position;
  }

  /** Records the page's keys in one statement per table (a round trip per key would halve throughput). */
  private static void flushSeen(Connection c, Run run) throws SQLException {
    seen(c, "INSERT INTO pm_seen_events SELECT unnest(?::text[]) ON CONFLICT DO NOTHING", run.seenEvents);
    seen(c, "INSERT INTO pm_seen_markets SELECT unnest(?::text[]), true ON CONFLICT DO NOTHING", run.seenMarkets);
    // a listed but malformed market keeps its row and tokens as they were rather than losing them
    seen(c, "INSERT INTO pm_seen_markets SELECT DISTINCT unnest(?::text[]), false ON CONFLICT (condition_id) DO UPDATE SET ok = false",
        run.seenBadMarkets);
    seen(c, "INSERT INTO pm_seen_tokens SELECT unnest(?::text[]) ON CONFLICT DO NOTHING", run.seenTokens);
  }

  private static void seen(Connection c, String sql, List<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", keys.toArray()));
      ps.executeUpdate();
    }
    keys.clear();
  }

  /** Upserts one row; {@code entity} null records no change event. */
  private static Upserted upsert(Connection c, Run run, Table table, Tally tally, Object[] values, boolean closedNow, String entity)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(table.upsertSql)) {
      ps.setObject(1, values[0]);
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 2, values[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          tally.unchanged++;
          return new Upserted.Unchanged();
        }
        String key = String.valueOf(values[0]);
        if (rs.getBoolean(1)) {
          tally.inserted++;
          if (entity != null) {
            run.outbox.record(c, "polymarket", entity, key, "ADDED", payload(key, closedNow));
          }
          return new Upserted.Inserted();
        } else {
          tally.updated++;
          boolean wasClosed = rs.getBoolean(2);
          if (entity != null) {
            run.outbox.record(c, "polymarket", entity, key, closedNow && !wasClosed ? "CLOSED" : "CHANGED",
                payload(key, closedNow));
          }
          return new Upserted.Updated(rs.getBoolean(3) && !wasClosed, rs.getBoolean(4));
        }
      }
    }
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode payload(String key, boolean closed) {
    return VenueHttp.JSON.createObjectNode().put("id", key).put("closed", closed);
  }

  /**
   * Soft-deletes what the venue stopped listing, within the mode's scope: an active-only listing
   * says nothing about markets that were already closed, so only previously open rows qualify.
   */
  private static void softDelete(Connection c, Run run, Mode mode) throws SQLException {
    String scope = mode.activeOnly() ? " AND t.closed IS NOT TRUE" : "";
    if (mode.events()) {
      run.events.softDeleted = softDelete(c, run, "event",
          "UPDATE polymarket_events t SET deleted_at = now(), updated_at = now() WHERE t.deleted_at IS NULL" + scope
              + " AND NOT EXISTS (SELECT 1 FROM pm_seen_events s WHERE s.event_id = t.event_id) RETURNING t.event_id");
    }
    run.markets.softDeleted = softDelete(c, run, "market",
        "UPDATE polymarket_markets t SET deleted_at = now(), updated_at = now() WHERE t.deleted_at IS NULL" + scope
            + " AND NOT EXISTS (SELECT 1 FROM pm_seen_markets s WHERE s.condition_id = t.condition_id)"
            + " RETURNING t.condition_id");
    // a token goes with its market, or when its still-listed, well-formed market no longer names it
    run.tokens.softDeleted = softDelete(c, run, "token",
        "UPDATE polymarket_tokens t SET deleted_at = now(), updated_at = now() WHERE t.deleted_at IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM pm_seen_tokens s WHERE s.token_id = t.token_id)"
            + " AND NOT EXISTS (SELECT 1 FROM pm_seen_markets s WHERE s.condition_id = t.condition_id AND NOT s.ok)"
            + " AND EXISTS (SELECT 1 FROM polymarket_markets m WHERE m.condition_id = t.condition_id"
            + " AND (m.deleted_at IS NOT NULL OR EXISTS (SELECT 1 FROM pm_seen_markets s WHERE s.condition_id = t.condition_id)))"
            + " RETURNING t.token_id, t.condition_id");
  }

  private static int softDelete(Connection c, Run run, String entity, String sql) throws SQLException {
    int n = 0;
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        n++;
        if (entity != null) {
          String key = rs.getString(1);
          com.fasterxml.jackson.databind.node.ObjectNode p = VenueHttp.JSON.createObjectNode().put("id", key)
              .put("reason", "no longer listed");
          if (entity.equals("token")) {
            p.put("ticker", key).put("token_id", key).put("condition_id", rs.getString(2));
          }
          run.outbox.record(c, "polymarket", entity, key, "REMOVED", p);
        }
      }
    }
    return n;
  }

  /** A table's upsert: parameter 1 is the key (for the previous closed flag), then key and columns. */
  private record Table(String name, String key, List<String> columns, boolean hasClosed, String upsertSql) {
    Table(String name, String key, List<String> columns, boolean hasClosed) {
      this(name, key, columns, hasClosed, sql(name, key, columns, hasClosed));
    }

    private static String sql(String name, String key, List<String> columns, boolean hasClosed) {
      String cols = String.join(", ", columns);
      String params = String.join(", ", columns.stream().map(c -> "?").toList());
      String set = String.join(", ", columns.stream().map(c -> c + " = EXCLUDED." + c).toList());
      String old = String.join(", ", columns.stream().map(c -> "t." + c).toList());
      String neu = String.join(", ", columns.stream().map(c -> "EXCLUDED." + c).toList());
      // the CTE reads the row as it was before this statement, so a closed transition is visible;
      // xmax = 0 only on a freshly inserted tuple; no row returned means nothing changed
      // tables with a closed flag also have active: together they say whether the row was live
      return "WITH prev AS (SELECT " + (hasClosed ? "closed, active" : "NULL::boolean AS closed, true AS active")
          + ", deleted_at IS NOT NULL AS deleted FROM " + name + " WHERE " + key + " = ?) "
          + "INSERT INTO " + name + " AS t (" + key + ", " + cols + ") VALUES (?, " + params + ") "
          + "ON CONFLICT (" + key + ") DO UPDATE SET " + set + ", updated_at = now(), deleted_at = NULL "
          + "WHERE (" + old + ", t.deleted_at IS NULL) IS DISTINCT FROM (" + neu + ", true) "
          + "RETURNING (xmax = 0) AS inserted, coalesce((SELECT closed FROM prev), false) AS was_closed,"
          + " coalesce((SELECT active FROM prev), true) AS was_active, coalesce((SELECT deleted FROM prev), false) AS was_deleted";
    }
  }

  private static final class Tally {
    int inserted;
    int updated;
    int unchanged;
    int softDeleted;

    PolymarketSyncReport.Counts counts() {
      return new PolymarketSyncReport.Counts(inserted, updated, unchanged, softDeleted);
    }
  }

  /** Mutable state of one sync. */
  private static final class Run {
    final Tally events = new Tally();
    final Tally markets = new Tally();
    final Tally tokens = new Tally();
    final List<PolymarketSyncReport.Rejected> rejected = new ArrayList<>();
    final List<String> seenEvents = new ArrayList<>();
    final List<String> seenMarkets = new ArrayList<>();
    final List<String> seenBadMarkets = new ArrayList<>();
    final List<String> seenTokens = new ArrayList<>();
    int rejectedCount;
    int pages;
    ChangeEventWriter outbox;

    PolymarketSyncReport report(VenueHttp<PolymarketSyncException> http, long start) {
      return new PolymarketSyncReport(events.counts(), markets.counts(), tokens.counts(), rejectedCount, rejected, pages,
          http.requests(), http.retries(), outbox.written(), Duration.ofNanos(System.nanoTime() - start));
    }

    void reject(String kind, String key, String reason) {
      rejectedCount++;
      if (rejected.size() < PolymarketSyncReport.MAX_REJECTED_LISTED) {
        rejected.add(new PolymarketSyncReport.Rejected(kind, key, reason));
      }
      log.warn("Polymarket {} {} rejected: {}", kind, key, reason);
    }
  }
}
