package io.ssmd.secmaster.polymarket;

import io.ssmd.secmaster.VenueHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.secmaster.kraken.RestFixture;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Gamma-shaped venue on a real HTTP server (records the simulator never sends: malformed ones), real PostgreSQL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolymarketSyncIT {

  private static Database database;
  private static DataSource db;
  private RestFixture venue;
  /** event id -> event with nested markets, in listing order. */
  private final Map<String, ObjectNode> events = new TreeMap<>();

  static java.util.List<String> changeEvents(String feed) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT kind || ' ' || entity || ' ' || ticker FROM change_events WHERE feed = '" + feed + "' ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @BeforeAll
  static void startDatabase() throws Exception {
    database = Database.embedded(EmbeddedDatabase.start());
    db = database.dataSource();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void startVenue() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE polymarket_events, polymarket_markets, polymarket_tokens, change_events");
    }
    for (int e = 1; e <= 7; e++) {
      ObjectNode event = VenueHttp.JSON.createObjectNode().put("id", "e" + e).put("ticker", "event-" + e)
          .put("slug", "event-" + e).put("title", "Event " + e).put("startDate", "2026-01-01T00:00:00Z")
          .put("endDate", "2026-12-31T00:00:00Z").put("active", true).put("closed", false).put("archived", false)
          .put("negRisk", false);
      ArrayNode markets = event.putArray("markets");
      markets.add(market(e, 1));
      markets.add(market(e, 2));
      events.put(String.format("e%02d", e), event);
    }
    venue = new RestFixture().route("/events", q -> page(events.values().stream().map(ObjectNode.class::cast).toList(), q))
        .route("/markets", q -> {
          List<ObjectNode> all = new ArrayList<>();
          events.values().forEach(e -> e.path("markets").forEach(m -> all.add((ObjectNode) m)));
          return page(all, q);
        });
  }

  @AfterEach
  void stopVenue() {
    venue.close();
  }

  /** The asset id (clobTokenId) of outcome {@code outcome} (0 yes, 1 no) of {@link #market}. */
  static String token(int event, int n, int outcome) {
    return "1" + "0".repeat(60) + String.format("%06d", event * 1000 + n * 2 + outcome);
  }

  static ObjectNode market(int event, int n) {
    String cond = String.format("0x%064x", event * 100 + n);
    String yes = "1" + "0".repeat(60) + String.format("%06d", event * 1000 + n * 2);
    String no = "1" + "0".repeat(60) + String.format("%06d", event * 1000 + n * 2 + 1);
    ObjectNode m = VenueHttp.JSON.createObjectNode().put("id", String.valueOf(event * 100 + n))
        .put("question", "Will " + event + "." + n + " happen?").put("conditionId", cond)
        .put("slug", "m-" + event + "-" + n).put("startDate", "2026-01-01T00:00:00Z").put("endDate", "2026-12-31T00:00:00Z")
        .put("outcomes", "[\"Yes\", \"No\"]").put("outcomePrices", "[\"0.5\", \"0.5\"]")
        .put("clobTokenIds", "[\"" + yes + "\", \"" + no + "\"]").put("active", true).put("closed", false)
        .put("archived", false).put("acceptingOrders", true).put("enableOrderBook", true)
        .put("orderPriceMinTickSize", new java.math.BigDecimal("0.01")).put("orderMinSize", 5).put("negRisk", false)
        .put("volumeNum", 1234.5);
    m.putArray("events").addObject().put("id", "e" + event);
    return m;
  }

  /** Gamma paging: limit/offset over the listing, active=true&closed=false dropping closed records. */
  private static String page(List<ObjectNode> all, String query) {
    Map<String, String> q = new HashMap<>();
    for (String kv : query.split("&")) {
      String[] p = kv.split("=", 2);
      q.put(p[0], p.length > 1 ? p[1] : "");
    }
    List<ObjectNode> listed = all.stream()
        .filter(r -> !"false".equals(q.get("closed")) || !r.path("closed").asBoolean(false)).toList();
    int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
    int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
    ArrayNode out = VenueHttp.JSON.createArrayNode();
    listed.stream().skip(offset).limit(limit).forEach(out::add);
    return out.toString();
  }

  private PolymarketSync sync(int pageSize, int maxConsecutiveErrors) {
    return new PolymarketSync(db, venue.uri(), new PolymarketSync.Options(
        pageSize, Duration.ZERO, maxConsecutiveErrors, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(5)));
  }

  private static Map<String, Timestamp> updatedAt(String table, String key) throws Exception {
    Map<String, Timestamp> out = new TreeMap<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + key + ", updated_at FROM " + table)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getTimestamp(2));
      }
    }
    return out;
  }

  @Test
  void fullSyncPagesUntilAShortPageAndParsesTheStringEncodedArrays() throws Exception {
    List<Integer> progress = new ArrayList<>();
    PolymarketSyncReport report = sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS, r -> progress.add(r.markets().total()));

    assertThat(report.pages()).isEqualTo(3); // 3 + 3 + 1 events
    assertThat(progress).containsExactly(6, 12, 14);
    assertThat(report.events()).isEqualTo(new PolymarketSyncReport.Counts(7, 0, 0, 0));
    assertThat(report.markets()).isEqualTo(new PolymarketSyncReport.Counts(14, 0, 0, 0));
    assertThat(report.tokens()).isEqualTo(new PolymarketSyncReport.Counts(28, 0, 0, 0));
    assertThat(report.rejectedCount()).isZero();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT t.token_id, t.outcome, t.outcome_index, m.event_id, m.tick_size, m.question"
            + " FROM polymarket_tokens t JOIN polymarket_markets m USING (condition_id)"
            + " WHERE m.slug = 'm-3-2' ORDER BY t.outcome_index")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).hasSize(67).endsWith("003004");
      assertThat(rs.getString(2)).isEqualTo("Yes");
      assertThat(rs.getString(4)).isEqualTo("e3");
      assertThat(rs.getBigDecimal(5)).isEqualByComparingTo("0.01");
      assertThat(rs.getString(6)).isEqualTo("Will 3.2 happen?");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("No");
      assertThat(rs.getInt(3)).isEqualTo(1);
    }
  }

  @Test
  void noChangeResyncUpdatesZeroRows() throws Exception {
    sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);
    Map<String, Timestamp> markets = updatedAt("polymarket_markets", "condition_id");
    Map<String, Timestamp> tokens = updatedAt("polymarket_tokens", "token_id");

    PolymarketSyncReport again = sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);

    assertThat(again.events()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 7, 0));
    assertThat(again.markets()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 14, 0));
    assertThat(again.tokens()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 28, 0));
    assertThat(updatedAt("polymarket_markets", "condition_id")).isEqualTo(markets);
    assertThat(updatedAt("polymarket_tokens", "token_id")).isEqualTo(tokens);
  }

  @Test
  void venueChangeUpdatesExactlyThoseRows() throws Exception {
    sync(4, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);
    // 7 events, 14 markets and their 28 outcome tokens
    assertThat(changeEvents("polymarket")).hasSize(7 + 14 + 28);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE change_events");
    }
    Map<String, Timestamp> before = updatedAt("polymarket_markets", "condition_id");
    ArrayNode e2 = (ArrayNode) events.get("e02").path("markets");
    ((ObjectNode) e2.get(0)).put("question", "Renamed?");
    ((ObjectNode) events.get("e05").path("markets").get(1)).put("closed", true).put("acceptingOrders", false);
    ((ArrayNode) events.get("e07").path("markets")).add(market(7, 3));

    PolymarketSyncReport report = sync(4, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);

    assertThat(report.events()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 7, 0));
    assertThat(report.markets()).isEqualTo(new PolymarketSyncReport.Counts(1, 2, 12, 0));
    assertThat(report.tokens()).isEqualTo(new PolymarketSyncReport.Counts(2, 0, 28, 0));
    Map<String, Timestamp> after = updatedAt("polymarket_markets", "condition_id");
    List<String> moved = after.keySet().stream().filter(k -> before.containsKey(k) && !after.get(k).equals(before.get(k))).toList();
    assertThat(moved).containsExactlyInAnyOrder(String.format("0x%064x", 201), String.format("0x%064x", 502));
    // a rename is nothing to the tokens; a close closes both outcome tokens; a new market adds its tokens
    assertThat(changeEvents("polymarket")).containsExactly(
        "CHANGED market " + String.format("0x%064x", 201),
        "CLOSED market " + String.format("0x%064x", 502),
        "CLOSED token " + token(5, 2, 0),
        "CLOSED token " + token(5, 2, 1),
        "ADDED market " + String.format("0x%064x", 703),
        "ADDED token " + token(7, 3, 0),
        "ADDED token " + token(7, 3, 1));
    assertThat(report.changeEvents()).isEqualTo(7);

    // reopened: its tokens are activated
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE change_events");
    }
    ((ObjectNode) events.get("e05").path("markets").get(1)).put("closed", false).put("acceptingOrders", true);
    sync(4, 3).sync(PolymarketSync.Mode.ALL_MARKETS);
    assertThat(changeEvents("polymarket")).containsExactly(
        "CHANGED market " + String.format("0x%064x", 502),
        "ACTIVATED token " + token(5, 2, 0),
        "ACTIVATED token " + token(5, 2, 1));
  }

  @Test
  void marketsNoLongerListedAreSoftDeletedWithTheirTokens() throws Exception {
    sync(5, 3).sync(PolymarketSync.Mode.ACTIVE_MARKETS);
    ((ArrayNode) events.get("e04").path("markets")).remove(0);

    PolymarketSyncReport report = sync(5, 3).sync(PolymarketSync.Mode.ACTIVE_MARKETS);

    assertThat(report.markets()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 13, 1));
    assertThat(report.tokens()).isEqualTo(new PolymarketSyncReport.Counts(0, 0, 26, 2));
    assertThat(changeEvents("polymarket")).endsWith("REMOVED market " + String.format("0x%064x", 401),
        "REMOVED token " + token(4, 1, 0), "REMOVED token " + token(4, 1, 1));
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT slug FROM polymarket_markets WHERE deleted_at IS NOT NULL")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("m-4-1");
    }
    // listed again: un-deleted
    ((ArrayNode) events.get("e04").path("markets")).insert(0, market(4, 1));
    PolymarketSyncReport back = sync(5, 3).sync(PolymarketSync.Mode.ACTIVE_MARKETS);
    assertThat(back.markets()).isEqualTo(new PolymarketSyncReport.Counts(0, 1, 13, 0));
    assertThat(back.tokens()).isEqualTo(new PolymarketSyncReport.Counts(0, 2, 26, 0));
    assertThat(changeEvents("polymarket")).endsWith("ADDED token " + token(4, 1, 0), "ADDED token " + token(4, 1, 1));
  }

  @Test
  void malformedRecordsAreCountedAndReportedWithoutAbortingTheSync() throws Exception {
    ArrayNode e1 = (ArrayNode) events.get("e01").path("markets");
    ((ObjectNode) e1.get(0)).put("clobTokenIds", "[\"123\""); // truncated string-encoded array
    ((ObjectNode) e1.get(1)).put("active", "maybe"); // wrong type
    ((ObjectNode) events.get("e03").path("markets").get(0)).remove("conditionId"); // missing field
    ((ObjectNode) events.get("e06").path("markets").get(0)).put("brandNewField", 42); // new field: fine

    PolymarketSyncReport report = sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);

    assertThat(report.rejectedCount()).isEqualTo(3);
    assertThat(report.rejected()).extracting(PolymarketSyncReport.Rejected::reason).containsExactly(
        "clobTokenIds must hold a JSON array in a string, got \"[\"123\"\"",
        "active must be a boolean, got \"maybe\"",
        "missing conditionId");
    assertThat(report.rejected().get(2).key()).isEqualTo("page 1 #3.1");
    assertThat(report.markets().inserted()).isEqualTo(11);
    assertThat(report.events().inserted()).isEqualTo(7);
  }

  @Test
  void retries429And5xxWithBackoff() throws Exception {
    venue.failNext(1, 429, "0");
    venue.failNext(1, 500, null);

    PolymarketSyncReport report = sync(5, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);

    assertThat(report.retries()).isEqualTo(2);
    assertThat(report.markets().inserted()).isEqualTo(14);
  }

  @Test
  void failsFastAfterRepeatedConsecutiveErrorsWithoutSoftDeleting() throws Exception {
    sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS);
    events.remove("e01");
    venue.failNext(10, 503, null);

    assertThatThrownBy(() -> sync(3, 3).sync(PolymarketSync.Mode.ACTIVE_EVENTS))
        .isInstanceOf(PolymarketSyncException.class).hasMessageContaining("3 times in a row");
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM polymarket_markets WHERE deleted_at IS NOT NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void allMarketsModeReadsTheMarketsListingIncludingClosedOnes() throws Exception {
    ((ObjectNode) events.get("e05").path("markets").get(1)).put("closed", true);

    PolymarketSyncReport report = sync(100, 3).sync(PolymarketSync.Mode.ALL_MARKETS);

    assertThat(report.pages()).isEqualTo(1);
    assertThat(report.markets().inserted()).isEqualTo(14);
    assertThat(report.events().total()).isZero();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM polymarket_markets WHERE closed AND event_id = 'e5'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
