package io.ssmd.secmaster.kraken;

import io.ssmd.secmaster.VenueHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KrakenSyncIT {

  private static Database database;
  private static DataSource db;
  private RestFixture venue;
  private final Map<String, ObjectNode> pairs = new TreeMap<>();

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
  void resetVenue() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE kraken_pairs, change_events");
    }
    pairs.put("XXBTZUSD", pair("XBTUSD", "XBT/USD", "XXBT", "ZUSD", 1, 8, "0.0001", "0.1"));
    pairs.put("XDGUSD", pair("XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8, "20", "0.0000001"));
    pairs.put("SOLUSD", pair("SOLUSD", "SOL/USD", "SOL", "ZUSD", 2, 8, "0.02", "0.01"));
    venue = new RestFixture().route("/0/public/AssetPairs", q -> {
      ObjectNode body = VenueHttp.JSON.createObjectNode();
      body.putArray("error");
      ObjectNode result = body.putObject("result");
      pairs.forEach(result::set);
      return body.toString();
    });
  }

  @org.junit.jupiter.api.AfterEach
  void stopVenue() {
    venue.close();
  }

  private static ObjectNode pair(String altname, String wsname, String base, String quote, int pairDecimals, int lotDecimals,
      String ordermin, String tick) {
    ObjectNode o = VenueHttp.JSON.createObjectNode();
    o.put("altname", altname).put("wsname", wsname).put("aclass_base", "currency").put("base", base)
        .put("aclass_quote", "currency").put("quote", quote).put("lot", "unit").put("cost_decimals", 5)
        .put("pair_decimals", pairDecimals).put("lot_decimals", lotDecimals).put("lot_multiplier", 1)
        .put("ordermin", ordermin).put("costmin", "0.5").put("tick_size", tick).put("status", "online")
        .put("fee_volume_currency", "ZUSD").put("margin_call", 80).put("margin_stop", 40);
    o.putArray("leverage_buy").add(2).add(3);
    o.putArray("leverage_sell").add(2).add(3);
    o.putArray("fees").addArray().add(0).add(new BigDecimal("0.40"));
    return o;
  }

  private KrakenSync sync(int maxConsecutiveErrors) {
    return new KrakenSync(db, venue.uri(),
        new KrakenSync.Options(Duration.ZERO, maxConsecutiveErrors, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(5)));
  }

  private static Map<String, Timestamp> updatedAt() throws Exception {
    Map<String, Timestamp> out = new TreeMap<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT symbol, updated_at FROM kraken_pairs")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getTimestamp(2));
      }
    }
    return out;
  }

  @Test
  void fullSyncStoresV2SymbolsAndNoChangeResyncUpdatesZeroRows() throws Exception {
    KrakenSyncReport first = sync(3).sync();

    assertThat(first.pairs()).isEqualTo(new KrakenSyncReport.Counts(3, 0, 0, 0));
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT symbol, rest_name, wsname, base, quote, price_precision, tick_size, ordermin, marginable,"
                + " margin_fees->>'fee_volume_currency' FROM kraken_pairs WHERE symbol = 'BTC/USD'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("rest_name")).isEqualTo("XXBTZUSD");
      assertThat(rs.getString("wsname")).isEqualTo("XBT/USD");
      assertThat(rs.getString("base")).isEqualTo("BTC");
      assertThat(rs.getString("quote")).isEqualTo("USD");
      assertThat(rs.getInt("price_precision")).isEqualTo(1);
      assertThat(rs.getBigDecimal("tick_size")).isEqualByComparingTo("0.1");
      assertThat(rs.getBigDecimal("ordermin")).isEqualByComparingTo("0.0001");
      assertThat(rs.getBoolean("marginable")).isTrue();
      assertThat(rs.getString(10)).isEqualTo("ZUSD");
    }
    assertThat(updatedAt()).containsOnlyKeys("BTC/USD", "DOGE/USD", "SOL/USD");
    Map<String, Timestamp> before = updatedAt();

    KrakenSyncReport second = sync(3).sync();

    assertThat(second.pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 0, 3, 0));
    assertThat(updatedAt()).isEqualTo(before);
  }

  @Test
  void venueChangeUpdatesExactlyThoseRows() throws Exception {
    sync(3).sync();
    Map<String, Timestamp> before = updatedAt();
    pairs.get("SOLUSD").put("status", "cancel_only");
    pairs.remove("XDGUSD");
    pairs.put("XETHZUSD", pair("ETHUSD", "ETH/USD", "XETH", "ZUSD", 2, 8, "0.002", "0.01"));

    KrakenSyncReport report = sync(3).sync();

    assertThat(report.pairs()).isEqualTo(new KrakenSyncReport.Counts(1, 1, 1, 1));
    assertThat(changeEvents("kraken")).containsExactlyInAnyOrder(
        "ADDED pair BTC/USD", "ADDED pair DOGE/USD", "ADDED pair SOL/USD",
        "ADDED pair ETH/USD", "CHANGED pair SOL/USD", "REMOVED pair DOGE/USD");
    assertThat(report.changeEvents()).isEqualTo(3);
    Map<String, Timestamp> after = updatedAt();
    assertThat(after.get("BTC/USD")).isEqualTo(before.get("BTC/USD"));
    assertThat(after.get("SOL/USD")).isAfter(before.get("SOL/USD"));
    assertThat(after).containsKey("ETH/USD");
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT symbol FROM kraken_pairs WHERE deleted_at IS NOT NULL")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("DOGE/USD");
    }

    // the pair coming back un-deletes its row
    pairs.put("XDGUSD", pair("XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8, "20", "0.0000001"));
    assertThat(sync(3).sync().pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 1, 3, 0));
  }

  @Test
  void malformedPairIsCountedAndTheRestSynced() throws Exception {
    pairs.put("BADUSD", pair("BADUSD", "BAD/USD", "BAD", "ZUSD", 2, 8, "1", "0.01").put("pair_decimals", "two"));
    pairs.put("NOWSUSD", (ObjectNode) pair("NOWSUSD", "NOWS/USD", "NOWS", "ZUSD", 2, 8, "1", "0.01").without("wsname"));

    KrakenSyncReport report = sync(3).sync();

    assertThat(report.pairs().inserted()).isEqualTo(3);
    assertThat(report.rejected()).extracting(KrakenSyncReport.Rejected::key).containsExactly("BADUSD", "NOWSUSD");
    assertThat(report.rejected().get(0).reason()).isEqualTo("pair_decimals must be an integer, got \"two\"");
    assertThat(report.rejected().get(1).reason()).contains("wsname");
  }

  @Test
  void retries429And5xxWithBackoff() throws Exception {
    venue.failNext(1, 429, "0");
    venue.failNext(1, 503, null);
    venue.failNext(1, 502, null);

    KrakenSyncReport report = sync(5).sync();

    assertThat(report.pairs().inserted()).isEqualTo(3);
    assertThat(report.retries()).isEqualTo(3);
    assertThat(report.requests()).isEqualTo(4);
  }

  @Test
  void retriesRateLimitErrorsInA200Body() throws Exception {
    venue.route("/0/public/AssetPairs", new java.util.function.Function<>() {
      private int calls;

      @Override
      public String apply(String q) {
        if (calls++ == 0) {
          return "{\"error\":[\"EAPI:Rate limit exceeded\"]}";
        }
        ObjectNode body = VenueHttp.JSON.createObjectNode();
        body.putArray("error");
        body.putObject("result").set("XXBTZUSD", pairs.get("XXBTZUSD"));
        return body.toString();
      }
    });

    KrakenSyncReport report = sync(3).sync();

    assertThat(report.retries()).isEqualTo(1);
    assertThat(report.pairs().inserted()).isEqualTo(1);
  }

  @Test
  void failsFastAfterRepeatedConsecutiveErrorsAndWritesNothing() {
    venue.failNext(10, 500, null);

    assertThatThrownBy(() -> sync(3).sync()).isInstanceOf(KrakenSyncException.class).hasMessageContaining("3 times in a row");
    assertThat(venue.requests()).isEqualTo(3);
  }

  @Test
  void instrumentChannelPairsOverridePrecisionsAndAddV2OnlyPairs() throws Exception {
    String frame = "{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[],\"pairs\":["
        + "{\"symbol\":\"BTC/USD\",\"base\":\"BTC\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
        + "\"qty_increment\":0.00000001,\"price_precision\":1,\"cost_precision\":5,\"marginable\":true,"
        + "\"cost_min\":0.5,\"tick_size\":0.5,\"price_increment\":0.5,\"qty_min\":0.00005},"
        + "{\"symbol\":\"NEW/USD\",\"base\":\"NEW\",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":8,"
        + "\"qty_increment\":0.00000001,\"price_precision\":4,\"cost_precision\":5,\"marginable\":false,"
        + "\"cost_min\":0.5,\"tick_size\":0.0001,\"price_increment\":0.0001,\"qty_min\":1}]}}";
    List<KrakenInstrumentPair> ws = KrakenInstrumentPair.fromFrame(VenueHttp.JSON.readTree(frame));

    KrakenSyncReport report = sync(3).sync(ws);

    assertThat(report.pairs().inserted()).isEqualTo(4);
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tick_size, ordermin, rest_name FROM kraken_pairs WHERE symbol = 'BTC/USD'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal("0.5"));
      assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("0.00005"));
      assertThat(rs.getString(3)).isEqualTo("XXBTZUSD");
    }
    assertThat(sync(3).sync(ws).pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 0, 4, 0));
  }
}
