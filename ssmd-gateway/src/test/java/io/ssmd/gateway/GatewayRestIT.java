package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.SecurityMaster;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ssmd.secmaster.kraken.KrakenSync;
import io.ssmd.secmaster.polymarket.PolymarketSync;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayRestIT {

  @Test
  void snapServesTheLatestTickerAndBookFromMemory() throws Exception {
    try (TestGateway t = new TestGateway()) {
      t.publish("ticker", "BTC/USD", TestGateway.ticker("BTC/USD", "100.5", "100.6", 1));
      t.publish("orderbook", "BTC/USD", TestGateway.bookSnapshot("BTC/USD", 2));
      HttpResponse<String> r = null;
      for (int i = 0; i < 100 && (r == null || r.statusCode() == 404); i++) {
        Thread.sleep(50);
        r = get(t, "/v1/snap/kraken/BTC-USD");
      }
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = WsClient.JSON.readTree(r.body());
      assertThat(body.path("symbol").asText()).isEqualTo("BTC-USD");
      assertThat(body.path("ticker").path("data").path("data").get(0).path("bid").asText()).isEqualTo("100.5");
      assertThat(body.path("ticker").path("events").get(0).path("bid_price").asText()).isEqualTo("100.5");
      assertThat(body.path("books").get(0).path("bids").get(0).get(0).asText()).isEqualTo("100.5");
      assertThat(get(t, "/v1/snap/kraken/NOPE-USD").statusCode()).isEqualTo(404);
      assertThat(get(t, "/v1/snap/kalshi/KX").statusCode()).isEqualTo(404);
      assertThat(get(t, "/v1/snap/kraken").statusCode()).isEqualTo(400);
      assertThat(get(t, "/v1/nothing").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void marketsWithoutASecurityMasterAnswer503WithAClearError() throws Exception {
    try (TestGateway t = new TestGateway()) {
      HttpResponse<String> r = get(t, "/v1/markets");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(WsClient.JSON.readTree(r.body()).path("error").path("message").asText()).contains("DATABASE_URL");
    }
  }

  @Test
  void marketsComeFromTheSecurityMasterWithFilters() throws Exception {
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(); Database db = Database.embedded(pg)) {
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement(
              "insert into kalshi_markets (ticker, event_ticker, series_ticker, title, venue_status, state, close_time)"
                  + " values (?, ?, ?, ?, 'active', ?, now() + interval '1 day')")) {
        insert(ps, "KXBTC-1", "KXBTC-E", "KXBTC", "Bitcoin above 100k", "open");
        insert(ps, "KXBTC-2", "KXBTC-E", "KXBTC", "Bitcoin above 120k", "closed");
        insert(ps, "KXRAIN-1", "KXRAIN-E", "KXRAIN", "Rain in NYC", "open");
      }
      MarketSource source = MarketSource.database(new SecurityMaster(db, Clock.systemUTC()));
      try (TestGateway t = new TestGateway(TestGateway.options(), Optional.of(source))) {
        JsonNode all = WsClient.JSON.readTree(get(t, "/v1/markets").body());
        assertThat(all.path("source").asText()).isEqualTo("database");
        assertThat(all.path("count").asInt()).isEqualTo(3);
        JsonNode open = WsClient.JSON.readTree(get(t, "/v1/markets?status=open&series=KXBTC").body());
        assertThat(open.path("count").asInt()).isEqualTo(1);
        assertThat(open.path("markets").get(0).path("ticker").asText()).isEqualTo("KXBTC-1");
        JsonNode search = WsClient.JSON.readTree(get(t, "/v1/markets?search=rain&limit=5").body());
        assertThat(search.path("markets").get(0).path("ticker").asText()).isEqualTo("KXRAIN-1");
        assertThat(WsClient.JSON.readTree(get(t, "/v1/markets?limit=1").body()).path("count").asInt()).isEqualTo(1);
        assertThat(get(t, "/v1/markets?limit=0").statusCode()).isEqualTo(400);
        assertThat(get(t, "/v1/markets?limit=abc").statusCode()).isEqualTo(400);
        assertThat(GatewayAuthIT.get(URI.create(t.gateway.httpUri() + "/v1/markets"), Map.of()).statusCode()).isEqualTo(401);
      }
    }
  }

  @Test
  void marketsServeEveryFeedOfTheSecurityMasterByFeedParameter() throws Exception {
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(); Database db = Database.embedded(pg); Venue venue = new Venue()) {
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement(
              "insert into kalshi_markets (ticker, event_ticker, series_ticker, title, venue_status, state, close_time)"
                  + " values (?, ?, ?, ?, 'active', ?, now() + interval '1 day')")) {
        insert(ps, "KXBTC-1", "KXBTC-E", "KXBTC", "Bitcoin above 100k", "open");
      }
      // loaded the way the worker's ExchangeSync loads them: the sync classes against the venues' REST
      new KrakenSync(db.dataSource(), venue.uri(), new KrakenSync.Options(Duration.ZERO, 3, Duration.ofMillis(10), Duration.ofMillis(200),
          Duration.ofSeconds(5))).sync();
      new PolymarketSync(db.dataSource(), venue.uri(), new PolymarketSync.Options(100, Duration.ZERO, 3, Duration.ofMillis(10),
          Duration.ofMillis(200), Duration.ofSeconds(5))).sync(PolymarketSync.Mode.ACTIVE_EVENTS);
      MarketSource source = MarketSource.database(new SecurityMaster(db, Clock.systemUTC()));
      try (TestGateway t = new TestGateway(TestGateway.options(), Optional.of(source))) {
        // no feed parameter: Kalshi, as before the other feeds were kept
        JsonNode dflt = json(get(t, "/v1/markets"));
        assertThat(dflt.path("feeds").toString()).isEqualTo("[\"kalshi\"]");
        assertThat(tickers(dflt)).containsExactly("KXBTC-1");

        JsonNode kraken = json(get(t, "/v1/markets?feed=kraken"));
        assertThat(tickers(kraken)).containsExactlyInAnyOrder("BTC/USD", "ETH/USD");
        JsonNode btc = json(get(t, "/v1/markets?feed=kraken&search=XBTUSD"));
        assertThat(btc.path("markets").get(0).path("ticker").asText()).isEqualTo("BTC/USD");
        assertThat(btc.path("markets").get(0).path("feed").asText()).isEqualTo("kraken");
        assertThat(btc.path("markets").get(0).path("attributes").path("rest_name").asText()).isEqualTo("XXBTZUSD");

        JsonNode poly = json(get(t, "/v1/markets?feed=polymarket"));
        assertThat(poly.path("count").asInt()).isEqualTo(2);
        JsonNode m = poly.path("markets").get(0);
        assertThat(m.path("feed").asText()).isEqualTo("polymarket");
        assertThat(m.path("outcomes")).hasSize(2);
        assertThat(m.path("outcomes").get(0).path("outcome").asText()).isEqualTo("Yes");
        assertThat(m.path("outcomes").get(0).path("token_id").asText()).isEqualTo(Venue.token(m.path("attributes").path("slug").asText(), 0));

        JsonNode all = json(get(t, "/v1/markets?feed=all"));
        assertThat(all.path("feeds").toString()).isEqualTo("[\"kalshi\",\"kraken\",\"polymarket\"]");
        assertThat(all.path("count").asInt()).isEqualTo(5);
        JsonNode two = json(get(t, "/v1/markets?feed=kraken,polymarket&status=open"));
        assertThat(two.path("count").asInt()).isEqualTo(4);
        // the limit holds across feeds, taken in order
        assertThat(tickers(json(get(t, "/v1/markets?feed=all&limit=2")))).containsExactly("KXBTC-1", tickers(kraken).getFirst());
        // a Kalshi-only filter over several feeds narrows to Kalshi; asked of Kraken alone it is an error naming it
        JsonNode series = json(get(t, "/v1/markets?feed=all&series=KXBTC"));
        assertThat(series.path("feeds").toString()).isEqualTo("[\"kalshi\"]");
        assertThat(tickers(series)).containsExactly("KXBTC-1");
        HttpResponse<String> krakenSeries = get(t, "/v1/markets?feed=kraken&series=KXBTC");
        assertThat(krakenSeries.statusCode()).isEqualTo(400);
        assertThat(json(krakenSeries).path("error").path("message").asText()).contains("series").contains("kraken");
        HttpResponse<String> unknown = get(t, "/v1/markets?feed=binance");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("error").path("message").asText()).contains("binance").contains("feed=all");

        // a key limited to polymarket: all means polymarket; asking kraken is forbidden
        Map<String, String> poly1 = Map.of("Authorization", "Bearer " + t.polyOnlyKey);
        JsonNode polyAll = json(GatewayAuthIT.get(URI.create(t.gateway.httpUri() + "/v1/markets?feed=all"), poly1));
        assertThat(polyAll.path("feeds").toString()).isEqualTo("[\"polymarket\"]");
        assertThat(GatewayAuthIT.get(URI.create(t.gateway.httpUri() + "/v1/markets?feed=kraken"), poly1).statusCode()).isEqualTo(403);
      }
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WsClient.JSON.readTree(r.body());
  }

  private static List<String> tickers(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.path("markets").forEach(m -> out.add(m.path("ticker").asText()));
    return out;
  }

  /**
   * Kraken's {@code /0/public/AssetPairs} (two pairs) and Polymarket Gamma's {@code /events} (one
   * event, two markets with two outcome tokens each) on one loopback HTTP server.
   */
  private static final class Venue implements AutoCloseable {
    private final HttpServer server;

    Venue() throws Exception {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/0/public/AssetPairs", x -> reply(x, assetPairs()));
      // Gamma pages by offset: the second page is empty
      server.createContext("/events", x -> reply(x, x.getRequestURI().getRawQuery() != null
          && x.getRequestURI().getRawQuery().matches(".*offset=[1-9].*") ? "[]" : events()));
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static String token(String slug, int outcome) {
      return (slug.equals("rain-tomorrow") ? "71" : "72") + "0".repeat(60) + outcome;
    }

    private static String assetPairs() {
      ObjectNode body = WsClient.JSON.createObjectNode();
      body.putArray("error");
      ObjectNode result = body.putObject("result");
      result.set("XXBTZUSD", pair("XBTUSD", "XBT/USD", "XXBT", 1));
      result.set("XETHZUSD", pair("ETHUSD", "ETH/USD", "XETH", 2));
      return body.toString();
    }

    private static ObjectNode pair(String altname, String wsname, String base, int pairDecimals) {
      ObjectNode o = WsClient.JSON.createObjectNode();
      o.put("altname", altname).put("wsname", wsname).put("aclass_base", "currency").put("base", base)
          .put("aclass_quote", "currency").put("quote", "ZUSD").put("lot", "unit").put("cost_decimals", 5)
          .put("pair_decimals", pairDecimals).put("lot_decimals", 8).put("lot_multiplier", 1)
          .put("ordermin", "0.0001").put("costmin", "0.5").put("tick_size", "0.1").put("status", "online")
          .put("fee_volume_currency", "ZUSD").put("margin_call", 80).put("margin_stop", 40);
      o.putArray("fees").addArray().add(0).add(new BigDecimal("0.40"));
      return o;
    }

    private static String events() {
      ArrayNode out = WsClient.JSON.createArrayNode();
      ObjectNode event = out.addObject().put("id", "e1").put("ticker", "weather").put("slug", "weather").put("title", "Weather")
          .put("startDate", "2026-01-01T00:00:00Z").put("endDate", "2030-12-31T00:00:00Z").put("active", true).put("closed", false)
          .put("archived", false).put("negRisk", false);
      ArrayNode markets = event.putArray("markets");
      int id = 1;
      for (String slug : List.of("rain-tomorrow", "snow-tomorrow")) {
        ObjectNode m = markets.addObject().put("id", String.valueOf(id)).put("question", "Will it " + slug.replace('-', ' ') + "?")
            .put("conditionId", String.format("0x%064x", id++)).put("slug", slug).put("startDate", "2026-01-01T00:00:00Z")
            .put("endDate", "2030-12-31T00:00:00Z").put("outcomes", "[\"Yes\", \"No\"]").put("outcomePrices", "[\"0.5\", \"0.5\"]")
            .put("clobTokenIds", "[\"" + token(slug, 0) + "\", \"" + token(slug, 1) + "\"]").put("active", true).put("closed", false)
            .put("archived", false).put("acceptingOrders", true).put("enableOrderBook", true)
            .put("orderPriceMinTickSize", new BigDecimal("0.01")).put("orderMinSize", 5).put("negRisk", false).put("volumeNum", 10.5);
        m.putArray("events").addObject().put("id", "e1");
      }
      return out.toString();
    }

    private static void reply(HttpExchange x, String body) throws java.io.IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void insert(PreparedStatement ps, String ticker, String event, String series, String title, String state) throws Exception {
    ps.setString(1, ticker);
    ps.setString(2, event);
    ps.setString(3, series);
    ps.setString(4, title);
    ps.setString(5, state);
    ps.executeUpdate();
  }

  private static HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return GatewayAuthIT.get(URI.create(t.gateway.httpUri() + path), Map.of("Authorization", "Bearer " + t.key));
  }
}
