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
