package io.ssmd.sim.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KrakenSimIT {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Journal journal = new Journal(1_000_000);
  private SimServer server;
  private KrakenSim sim;

  private WsClient start(KrakenSimOptions options) throws Exception {
    sim = new KrakenSim(options, journal, scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 16 * 1024 * 1024).start();
    return new WsClient(server.wsUri());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void sendsEngineStatusOnConnect() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults())) {
      JsonNode status = json(c.next(5000));
      assertThat(status.path("channel").asText()).isEqualTo("status");
      assertThat(status.path("type").asText()).isEqualTo("update");
      JsonNode d = status.path("data").get(0);
      assertThat(d.path("system").asText()).isEqualTo("online");
      assertThat(d.path("api_version").asText()).isEqualTo("v2");
      assertThat(d.path("connection_id").isIntegralNumber()).isTrue();
      assertThat(d.path("version").asText()).isNotEmpty();
    }
  }

  @Test
  void acksEverySymbolSeparatelyAndRejectsUnknownPairsWithKrakensErrorText() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(0))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":[\"BTC/USD\",\"BTC/XYZ\",\"ETH/USD\"]},\"req_id\":7}");
      JsonNode a1 = json(c.await(f -> f.contains("\"method\":\"subscribe\""), 5000));
      JsonNode err = json(c.await(f -> f.contains("\"method\":\"subscribe\""), 5000));
      JsonNode a2 = json(c.await(f -> f.contains("\"method\":\"subscribe\""), 5000));
      assertThat(a1.path("success").asBoolean()).isTrue();
      assertThat(a1.path("result").path("symbol").asText()).isEqualTo("BTC/USD");
      assertThat(a1.path("result").path("channel").asText()).isEqualTo("ticker");
      assertThat(a1.path("req_id").asLong()).isEqualTo(7);
      assertThat(a1.path("time_in").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
      assertThat(err.path("success").asBoolean()).isFalse();
      assertThat(err.path("error").asText()).isEqualTo("Currency pair not supported BTC/XYZ");
      assertThat(err.path("symbol").asText()).isEqualTo("BTC/XYZ");
      assertThat(a2.path("result").path("symbol").asText()).isEqualTo("ETH/USD");
    }
  }

  @Test
  void rejectsBadRequestsAndAnswersPing() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(0))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":\"BTC/USD\"},\"req_id\":1}");
      assertThat(json(c.await(f -> f.contains("req_id\":1"), 5000)).path("error").asText()).isEqualTo("Symbol field must be an array");
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"candles\",\"symbol\":[\"BTC/USD\"]},\"req_id\":2}");
      assertThat(json(c.await(f -> f.contains("req_id\":2"), 5000)).path("success").asBoolean()).isFalse();
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"depth\":7,\"symbol\":[\"BTC/USD\"]},\"req_id\":3}");
      assertThat(json(c.await(f -> f.contains("req_id\":3"), 5000)).path("success").asBoolean()).isFalse();
      c.send("{\"method\":\"fly\",\"req_id\":4}");
      assertThat(json(c.await(f -> f.contains("req_id\":4"), 5000)).path("success").asBoolean()).isFalse();
      c.send("{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\"]},\"req_id\":5}");
      assertThat(json(c.await(f -> f.contains("req_id\":5"), 5000)).path("error").asText()).isEqualTo("Subscription Not Found");
      c.send("{\"method\":\"ping\",\"req_id\":42}");
      JsonNode pong = json(c.await(f -> f.contains("\"pong\""), 5000));
      assertThat(pong.path("req_id").asLong()).isEqualTo(42);
      assertThat(pong.has("time_in")).isTrue();
      assertThat(pong.has("time_out")).isTrue();
    }
  }

  @Test
  void sendsHeartbeatsWhenIdleOnlyAfterTheFirstSubscribe() throws Exception {
    KrakenSimOptions o = KrakenSimOptions.defaults().withMessagesPerSecond(0).withHeartbeatInterval(Duration.ofMillis(100));
    try (WsClient c = start(o)) {
      c.next(5000); // status
      Thread.sleep(400);
      assertThat(c.frames).noneMatch(f -> f.contains("heartbeat"));
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"SOL/USD\"]}}");
      c.await(f -> f.equals("{\"channel\":\"heartbeat\"}"), 5000);
      c.await(f -> f.equals("{\"channel\":\"heartbeat\"}"), 5000);
    }
  }

  @Test
  void instrumentSnapshotListsPairsWithPrecisions() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMarkets(12).withMessagesPerSecond(0))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\"},\"req_id\":9}");
      JsonNode ack = json(c.await(f -> f.contains("req_id\":9"), 5000));
      assertThat(ack.path("result").path("channel").asText()).isEqualTo("instrument");
      JsonNode snap = json(c.await(f -> f.contains("\"channel\":\"instrument\",\"type\":\"snapshot\""), 5000));
      JsonNode pairs = snap.path("data").path("pairs");
      assertThat(pairs.size()).isEqualTo(12);
      JsonNode btc = pairs.get(0);
      assertThat(btc.path("symbol").asText()).isEqualTo("BTC/USD");
      assertThat(btc.path("price_precision").asInt()).isEqualTo(1);
      assertThat(btc.path("qty_precision").asInt()).isEqualTo(8);
      for (String field : List.of("base", "quote", "status", "qty_increment", "price_increment", "cost_precision", "qty_min", "cost_min", "marginable")) {
        assertThat(btc.has(field)).as(field).isTrue();
      }
      assertThat(pairs.get(11).path("symbol").asText()).isEqualTo("SIM2/USD");
      assertThat(snap.path("data").path("assets").size()).isGreaterThan(1);
      // instrument is reference data, never journaled as market data
      assertThat(journal.entries()).isEmpty();
    }
  }

  @Test
  void bookUpdatesKeepAClientBookTruncatedToDepthWithMatchingChecksums() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(3000).withMarkets(4))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\",\"XRP/USD\"],\"depth\":10}}");
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"ETH/USD\"],\"depth\":25}}");
      Map<String, int[]> precisions = Map.of("BTC/USD", new int[] {1, 8}, "XRP/USD", new int[] {5, 8}, "ETH/USD", new int[] {2, 8});
      Map<String, Book> books = new java.util.HashMap<>();
      int updates = 0;
      while (updates < 1500) {
        JsonNode m = json(c.next(5000));
        if (!m.path("channel").asText().equals("book")) {
          continue;
        }
        JsonNode d = m.path("data").get(0);
        String symbol = d.path("symbol").asText();
        int depth = symbol.equals("ETH/USD") ? 25 : 10;
        if (m.path("type").asText().equals("snapshot")) {
          books.put(symbol, new Book());
          assertThat(d.path("bids").size()).isEqualTo(depth);
        } else {
          assertThat(d.path("timestamp").isTextual()).isTrue();
          updates++;
        }
        Book b = books.get(symbol);
        assertThat(b).as("update before snapshot for " + symbol).isNotNull();
        b.apply(d, depth);
        int[] p = precisions.get(symbol);
        assertThat(b.checksum(p[0], p[1])).as("checksum of %s after %s", symbol, m).isEqualTo(d.path("checksum").asLong());
        assertThat(b.bids.size()).isLessThanOrEqualTo(depth);
        assertThat(b.asks.size()).isLessThanOrEqualTo(depth);
      }
      assertThat(books).containsOnlyKeys("BTC/USD", "XRP/USD", "ETH/USD");
      for (Book b : books.values()) {
        assertThat(b.bids.firstKey()).isLessThan(b.asks.firstKey());
      }
    }
  }

  @Test
  void badChecksumFaultCorruptsOneUpdateAndAResubscribeGetsAFreshSnapshot() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(500).withMarkets(2))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\",\"ETH/USD\"]}}");
      Map<String, Book> books = new java.util.HashMap<>();
      int bad = 0;
      int afterFault = 0;
      boolean injected = false;
      while (afterFault < 200) {
        JsonNode m = json(c.next(5000));
        if (!m.path("channel").asText().equals("book")) {
          continue;
        }
        JsonNode d = m.path("data").get(0);
        String symbol = d.path("symbol").asText();
        if (m.path("type").asText().equals("snapshot")) {
          books.put(symbol, new Book());
        }
        Book b = books.get(symbol);
        b.apply(d, 10);
        int pp = symbol.equals("BTC/USD") ? 1 : 2;
        if (b.checksum(pp, 8) != d.path("checksum").asLong()) {
          bad++;
          assertThat(symbol).isEqualTo("ETH/USD");
        }
        if (injected) {
          afterFault++;
        }
        if (!injected && books.size() == 2) {
          sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM, "market", "ETH/USD"));
          injected = true;
        }
      }
      assertThat(bad).isEqualTo(1);
      assertThat(sim.status().get("faultsInjected")).isEqualTo(Map.of("bad_checksum", 1L));
      c.send("{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"ETH/USD\"]},\"req_id\":11}");
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"ETH/USD\"]},\"req_id\":12}");
      c.await(f -> f.contains("\"req_id\":12"), 5000);
      JsonNode snap = json(c.await(f -> f.contains("\"type\":\"snapshot\"") && f.contains("ETH/USD"), 5000));
      Book fresh = new Book();
      fresh.apply(snap.path("data").get(0), 10);
      assertThat(fresh.checksum(2, 8)).isEqualTo(snap.path("data").get(0).path("checksum").asLong());
    }
    assertThatThrownBy(() -> sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM, "market", "NOPE/USD"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.inject(Fault.of(Fault.Kind.SKIP_SEQ))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void journalsEveryDataMessageWithItsRoutingAndOnlyForSubscribedMarkets() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(400))) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"DOGE/USD\"]}}");
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":[\"DOGE/USD\"]}}");
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"LINK/USD\"]}}");
      long lastTradeId = 0;
      int trades = 0;
      while (trades < 20) {
        JsonNode m = json(c.next(5000));
        if (m.path("channel").asText().equals("trade")) {
          JsonNode t = m.path("data").get(0);
          assertThat(t.path("symbol").asText()).isEqualTo("DOGE/USD");
          assertThat(t.path("trade_id").isIntegralNumber()).isTrue();
          if (lastTradeId != 0) {
            assertThat(t.path("trade_id").asLong()).isEqualTo(lastTradeId + 1);
          }
          lastTradeId = t.path("trade_id").asLong();
          for (String f : List.of("side", "price", "qty", "ord_type", "timestamp")) {
            assertThat(t.has(f)).as(f).isTrue();
          }
          trades++;
        }
      }
      assertThat(journal.entries()).isNotEmpty().allSatisfy(e -> {
        JsonNode m = JSON.readTree(e.bytes());
        String expectedType = switch (m.path("channel").asText()) {
          case "book" -> "orderbook";
          case "trade" -> "trade";
          case "ticker" -> "ticker";
          default -> "?";
        };
        assertThat(e.type()).isEqualTo(expectedType);
        assertThat(e.ticker()).isEqualTo(m.path("data").get(0).path("symbol").asText()).isIn("DOGE/USD", "LINK/USD");
      });
      JsonNode ticker = JSON.readTree(journal.entries().stream().filter(e -> e.type().equals("ticker")).findFirst().orElseThrow().bytes());
      for (String f : List.of("bid", "bid_qty", "ask", "ask_qty", "last", "volume", "vwap", "low", "high", "change", "change_pct", "timestamp")) {
        assertThat(ticker.path("data").get(0).has(f)).as(f).isTrue();
      }
      assertThat(((Number) sim.status().get("messagesSent")).longValue()).isGreaterThan(0);
      assertThat(sim.status().get("subscriptions")).isEqualTo(3);
    }
  }

  @Test
  void malformedUnknownTypeAndOversizeFaultsReachTheClientUnjournaled() throws Exception {
    try (WsClient c = start(KrakenSimOptions.defaults().withMessagesPerSecond(0))) {
      c.next(5000);
      sim.inject(Fault.of(Fault.Kind.MALFORMED));
      String bad = c.next(5000);
      assertThatThrownBy(() -> JSON.readTree(bad)).isInstanceOf(Exception.class);
      sim.inject(Fault.of(Fault.Kind.UNKNOWN_TYPE));
      assertThat(json(c.next(5000)).path("channel").asText()).isEqualTo("sim_undocumented");
      sim.inject(Fault.of(Fault.Kind.OVERSIZE, "bytes", "300000"));
      assertThat(c.next(5000)).hasSize(300_000);
      assertThat(journal.count()).isZero();
    }
  }

  /** The client side of Kraken's book rules, written independently of the simulator. */
  static final class Book {
    final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();

    void apply(JsonNode d, int depth) {
      side(bids, d.path("bids"), depth);
      side(asks, d.path("asks"), depth);
    }

    private static void side(NavigableMap<BigDecimal, BigDecimal> book, JsonNode levels, int depth) {
      for (JsonNode l : levels) {
        BigDecimal price = l.path("price").decimalValue();
        BigDecimal qty = l.path("qty").decimalValue();
        if (qty.signum() == 0) {
          book.remove(price);
        } else {
          book.put(price, qty);
        }
      }
      while (book.size() > depth) {
        book.pollLastEntry();
      }
    }

    long checksum(int pp, int qp) {
      StringBuilder sb = new StringBuilder();
      for (NavigableMap<BigDecimal, BigDecimal> side : List.of(asks, bids)) {
        side.entrySet().stream().limit(10).forEach(e -> {
          sb.append(strip(e.getKey().setScale(pp, RoundingMode.UNNECESSARY).toPlainString()));
          sb.append(strip(e.getValue().setScale(qp, RoundingMode.UNNECESSARY).toPlainString()));
        });
      }
      return SimBookTest.crc(sb.toString());
    }

    private static String strip(String s) {
      return s.replace(".", "").replaceFirst("^0+(?=.)", "");
    }
  }
}
