package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayProtocolIT {
  private TestGateway t;

  @BeforeEach
  void start() {
    t = new TestGateway();
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void subscribeAcksThenSendsLatestTickerAndBookThenLiveMessagesInOrder() throws Exception {
    t.publish("ticker", "BTC/USD", TestGateway.ticker("BTC/USD", "100.5", "100.6", 1));
    t.publish("orderbook", "BTC/USD", TestGateway.bookSnapshot("BTC/USD", 2));
    t.publish("orderbook", "BTC/USD", TestGateway.bookUpdate("BTC/USD", "bids", "100.5", "0", 3));
    t.publish("ticker", "ETH/USD", TestGateway.ticker("ETH/USD", "3000.1", "3000.2", 4));
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      assertThat(c.next().path("type").asText()).isEqualTo("welcome");
      awaitSymbols(c, 2);
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:BTC/USD\"]}");
      JsonNode ack = c.next();
      assertThat(ack.path("type").asText()).isEqualTo("ack");
      assertThat(ack.path("id").asInt()).isEqualTo(1);
      assertThat(ack.path("symbols").get(0).asText()).isEqualTo("kraken:BTC-USD");
      JsonNode ticker = c.next();
      assertThat(ticker.path("type").asText()).isEqualTo("ticker");
      assertThat(ticker.path("snapshot").asBoolean()).isTrue();
      assertThat(ticker.path("symbol").asText()).isEqualTo("BTC-USD");
      assertThat(ticker.path("data").path("data").get(0).path("n").asInt()).isEqualTo(1);
      JsonNode book = c.next();
      assertThat(book.path("type").asText()).isEqualTo("book");
      assertThat(book.path("instrument").asText()).isEqualTo("BTC/USD");
      // the update removed 100.5: the book is the snapshot with that level gone
      assertThat(book.path("bids").toString()).isEqualTo("[[\"100.4\",\"2\"]]");
      assertThat(book.path("asks").toString()).isEqualTo("[[\"100.6\",\"3\"],[\"100.7\",\"4\"]]");
      assertThat(book.path("seq").asLong()).isEqualTo(3);

      t.publish("trade", "ETH/USD", TestGateway.trade("ETH/USD", "3000", 5));
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "100.6", 6));
      t.publish("orderbook", "BTC/USD", TestGateway.bookUpdate("BTC/USD", "asks", "100.65", "1", 7));
      JsonNode trade = c.next();
      assertThat(trade.path("type").asText()).isEqualTo("trade");
      assertThat(trade.path("data").path("data").get(0).path("n").asInt()).isEqualTo(6);
      assertThat(trade.has("snapshot")).isFalse();
      assertThat(trade.path("received_at").asLong()).isPositive();
      JsonNode delta = c.next();
      assertThat(delta.path("type").asText()).isEqualTo("orderbook");
      assertThat(delta.path("seq").asLong()).isGreaterThan(trade.path("seq").asLong());
    }
  }

  @Test
  void unsubscribeStopsDeliveryAndListShowsWhatIsHeld() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      c.next();
      c.send("{\"id\":\"a\",\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"],\"types\":[\"trade\"]}");
      c.send("{\"id\":\"b\",\"op\":\"subscribe\",\"symbols\":[\"kraken:ETH/USD\"],\"types\":[\"ticker\"]}");
      c.send("{\"id\":\"c\",\"op\":\"list\"}");
      assertThat(c.next().path("id").asText()).isEqualTo("a");
      assertThat(c.next().path("id").asText()).isEqualTo("b");
      JsonNode list = c.next();
      assertThat(list.path("op").asText()).isEqualTo("list");
      assertThat(list.path("subscriptions").toString())
          .contains("{\"symbol\":\"kraken:*\",\"types\":[\"trade\"]}")
          .contains("{\"symbol\":\"kraken:ETH-USD\",\"types\":[\"ticker\"]}");

      t.publish("ticker", "BTC/USD", TestGateway.ticker("BTC/USD", "1", "2", 1)); // matches no type filter
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "1", 2));
      t.publish("ticker", "ETH/USD", TestGateway.ticker("ETH/USD", "1", "2", 3));
      assertThat(n(c.next())).isEqualTo(2);
      assertThat(n(c.next())).isEqualTo(3);

      c.send("{\"id\":\"d\",\"op\":\"unsubscribe\",\"symbols\":[\"kraken:*\",\"kraken:XRP/USD\"]}");
      JsonNode ack = c.next();
      assertThat(ack.path("symbols").toString()).isEqualTo("[\"kraken:*\"]");
      assertThat(ack.path("not_subscribed").toString()).isEqualTo("[\"kraken:XRP-USD\"]");
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "1", 4));
      t.publish("ticker", "ETH/USD", TestGateway.ticker("ETH/USD", "1", "2", 5));
      assertThat(n(c.next())).isEqualTo(5); // the trade (4) is no longer subscribed
      assertThat(metric("ssmd_gateway_subscriptions_active{symbol=\"kraken:ETH-USD\"}")).isEqualTo(1.0);
    }
  }

  @Test
  void errorsAreAnsweredWithIdsAndKeepTheConnectionOpen() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      c.next();
      c.send("{not json");
      assertThat(code(c.next())).isEqualTo("malformed_json");
      c.send("{\"id\":2,\"op\":\"dance\"}");
      JsonNode unknown = c.next();
      assertThat(unknown.path("id").asInt()).isEqualTo(2);
      assertThat(code(unknown)).isEqualTo("unknown_op");
      c.send("{\"id\":3,\"op\":\"subscribe\",\"symbols\":[\"nofeedcolon\"]}");
      assertThat(code(c.next())).isEqualTo("bad_request");
      c.send("{\"id\":4,\"op\":\"subscribe\",\"symbols\":[\"kalshi:KX-1\"]}");
      assertThat(code(c.next())).isEqualTo("unknown_feed");
      c.send("{\"id\":5,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"],\"types\":[\"quotes\"]}");
      assertThat(code(c.next())).isEqualTo("bad_request");
      c.send("{\"id\":6,\"op\":\"subscribe\"}");
      assertThat(code(c.next())).isEqualTo("bad_request");
      c.send("[1,2,3]");
      assertThat(code(c.next())).isEqualTo("malformed_json");
      c.send("{\"id\":7,\"op\":\"auth\",\"key\":\"x\"}");
      assertThat(code(c.next())).isEqualTo("already_authenticated");
      c.sendBinary(new byte[] {1, 2, 3});
      assertThat(code(c.next())).isEqualTo("binary_not_supported");
      c.assertUsable(8);
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void aKeyLimitedToOtherFeedsCannotSubscribeHere() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), t.polyOnlyKey)) {
      assertThat(c.next().path("feeds").toString()).isEqualTo("[]");
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"]}");
      assertThat(code(c.next())).isEqualTo("forbidden_feed");
      c.send("{\"id\":2,\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
      assertThat(c.next().path("type").asText()).isEqualTo("ack");
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "1", 1));
      t.transport.flush(java.time.Duration.ofSeconds(5));
      Thread.sleep(300);
      c.send("{\"id\":3,\"op\":\"ping\"}");
      assertThat(c.next().path("type").asText()).isEqualTo("pong"); // the kraken trade was not delivered
    }
  }

  @Test
  void normalizedFormatCarriesEventsWithDecimalStrings() throws Exception {
    try (WsClient c = WsClient.connect(t.ws("format=normalized"), t.key)) {
      assertThat(c.next().path("format").asText()).isEqualTo("normalized");
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
      c.next();
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "100.25", 9));
      JsonNode m = c.next();
      assertThat(m.has("data")).isFalse();
      JsonNode e = m.path("events").get(0);
      assertThat(e.path("kind").asText()).isEqualTo("trade");
      assertThat(e.path("price").asText()).isEqualTo("100.25");
      assertThat(e.path("aggressor").asText()).isEqualTo("bid");
    }
    try (WsClient c = WsClient.connect(t.ws("format=both"), t.key)) {
      c.next();
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:BTC-USD\"],\"types\":[\"trade\"]}");
      c.next();
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "100.5", 10));
      JsonNode m = c.next();
      assertThat(m.path("data").path("channel").asText()).isEqualTo("trade");
      assertThat(m.path("events").get(0).path("price").asText()).isEqualTo("100.5");
    }
    assertThat(WsClient.refusedStatus(t.ws("format=xml"), java.util.Map.of("X-API-Key", t.key))).isEqualTo(400);
  }

  @Test
  void serverPingsAndClientPingsAreAnswered() throws Exception {
    TestGateway fast = new TestGateway(TestGateway.options().withPingInterval(java.time.Duration.ofMillis(200)), java.util.Optional.empty());
    try (fast; WsClient c = WsClient.connect(fast.ws(), fast.key); StalledClient raw = StalledClient.connect(fast.ws(), fast.key)) {
      c.next();
      c.assertUsable(42);
      // a client that sees frames: the server's WebSocket ping arrives (after the welcome)
      assertThat(raw.next().path("type").asText()).isEqualTo("welcome");
      assertThat(raw.awaitPing()).isTrue();
      // the JDK client answers server pings itself; after several ping intervals the connection is still open and usable
      Thread.sleep(1000);
      c.assertUsable(43);
    }
  }

  private void awaitSymbols(WsClient c, int count) throws Exception {
    for (int i = 0; i < 100; i++) {
      c.send("{\"id\":\"s\",\"op\":\"symbols\",\"feed\":\"kraken\"}");
      JsonNode s = c.next(n -> "s".equals(n.path("id").asText()));
      if (s.path("symbols").size() >= count) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the gateway never saw " + count + " symbols");
  }

  private static int n(JsonNode m) {
    return m.path("data").path("data").get(0).path("n").asInt();
  }

  private static String code(JsonNode m) {
    assertThat(m.path("type").asText()).as(m.toString()).isEqualTo("error");
    return m.path("error").path("code").asText();
  }

  private double metric(String series) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, t.registry.scrape());
    for (String line : out.toString().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return Double.NaN;
  }
}
