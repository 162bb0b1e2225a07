package io.ssmd.sim.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KalshiSimIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();

  private ScheduledExecutorService scheduler;
  private SimServer server;
  private KalshiSim sim;

  @BeforeEach
  void start() throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts =
        KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
            .withMessagesPerSecond(400)
            .withPingInterval(Duration.ofMillis(200))
            .withLifecycleInterval(Duration.ofMillis(50));
    sim = new KalshiSim(opts, new Journal(100_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    scheduler.shutdownNow();
  }

  private WsClient client() {
    return new WsClient(server.wsUri(), KEY.keyId(), KEY.privateKey());
  }

  private int handshakeStatus(Map<String, String> headers) {
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(b::header);
    try {
      b.buildAsync(server.wsUri(), new WebSocket.Listener() {}).join().abort();
      return 101;
    } catch (CompletionException e) {
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void refusesUnsignedBadlySignedStaleAndUnknownKeyHandshakes() {
    String now = Long.toString(System.currentTimeMillis());
    String good = KalshiAuth.sign(KEY.privateKey(), now + "GET" + KalshiSim.WS_PATH);
    assertThat(handshakeStatus(Map.of())).isEqualTo(401);
    assertThat(handshakeStatus(Map.of(KalshiAuth.KEY_HEADER, KEY.keyId(), KalshiAuth.TIMESTAMP_HEADER, now, KalshiAuth.SIGNATURE_HEADER, good)))
        .isEqualTo(101);
    KalshiAuth.DevKey other = KalshiAuth.generate();
    String wrongKey = KalshiAuth.sign(other.privateKey(), now + "GET" + KalshiSim.WS_PATH);
    assertThat(handshakeStatus(Map.of(KalshiAuth.KEY_HEADER, KEY.keyId(), KalshiAuth.TIMESTAMP_HEADER, now, KalshiAuth.SIGNATURE_HEADER, wrongKey)))
        .isEqualTo(401);
    assertThat(handshakeStatus(Map.of(KalshiAuth.KEY_HEADER, other.keyId(), KalshiAuth.TIMESTAMP_HEADER, now, KalshiAuth.SIGNATURE_HEADER, wrongKey)))
        .isEqualTo(401);
    String old = Long.toString(System.currentTimeMillis() - 60_000);
    String stale = KalshiAuth.sign(KEY.privateKey(), old + "GET" + KalshiSim.WS_PATH);
    assertThat(handshakeStatus(Map.of(KalshiAuth.KEY_HEADER, KEY.keyId(), KalshiAuth.TIMESTAMP_HEADER, old, KalshiAuth.SIGNATURE_HEADER, stale)))
        .isEqualTo(401);
    String wrongPath = KalshiAuth.sign(KEY.privateKey(), now + "GET" + "/trade-api/v2");
    assertThat(handshakeStatus(Map.of(KalshiAuth.KEY_HEADER, KEY.keyId(), KalshiAuth.TIMESTAMP_HEADER, now, KalshiAuth.SIGNATURE_HEADER, wrongPath)))
        .isEqualTo(401);
  }

  @Test
  void sendsHeartbeatPings() throws Exception {
    try (WsClient c = client()) {
      assertThat(c.pings.poll(5, TimeUnit.SECONDS)).isEqualTo("heartbeat");
    }
  }

  @Test
  void orderbookSubscriptionStartsWithSnapshotsAndCountsSeqPerSid() throws Exception {
    try (WsClient c = client()) {
      int id = c.command("subscribe", "{\"channels\":[\"orderbook_delta\",\"ticker\"],\"market_tickers\":[\"SIM-MKT-001\",\"SIM-MKT-002\"],\"use_yes_price\":false}");
      JsonNode ob = c.reply(id, "subscribed");
      JsonNode tk = c.reply(id, "subscribed");
      assertThat(ob.at("/msg/channel").asText()).isEqualTo("orderbook_delta");
      assertThat(tk.at("/msg/channel").asText()).isEqualTo("ticker");
      long obSid = ob.at("/msg/sid").asLong();
      assertThat(tk.at("/msg/sid").asLong()).isNotEqualTo(obSid);

      Thread.sleep(300);
      List<JsonNode> book = new ArrayList<>();
      for (String f : c.received()) {
        JsonNode n = WsClient.JSON.readTree(f);
        if (n.path("type").asText().startsWith("orderbook")) {
          book.add(n);
        }
      }
      JsonNode s1 = book.get(0);
      JsonNode s2 = book.get(1);
      assertThat(s1.path("type").asText()).isEqualTo("orderbook_snapshot");
      assertThat(s2.path("type").asText()).isEqualTo("orderbook_snapshot");
      assertThat(s1.path("sid").asLong()).isEqualTo(obSid);
      assertThat(s1.path("seq").asLong()).isEqualTo(1);
      assertThat(s2.path("seq").asLong()).isEqualTo(2);
      assertThat(List.of(s1.at("/msg/market_ticker").asText(), s2.at("/msg/market_ticker").asText()))
          .containsExactly("SIM-MKT-001", "SIM-MKT-002");
      JsonNode lvl = s1.at("/msg/yes_dollars_fp/0");
      assertThat(lvl.get(0).asText()).matches("0\\.\\d{4}");
      assertThat(lvl.get(1).asText()).matches("\\d+\\.\\d{2}");
      assertThat(s1.at("/msg/yes").isMissingNode()).isTrue(); // no legacy integer fields

      long seq = 2;
      assertThat(book).hasSizeGreaterThan(10);
      for (JsonNode d : book.subList(2, book.size())) {
        assertThat(d.path("type").asText()).isEqualTo("orderbook_delta");
        assertThat(d.path("seq").asLong()).isEqualTo(++seq);
        assertThat(d.at("/msg/price_dollars").asText()).matches("0\\.\\d{4}");
        assertThat(d.at("/msg/delta_fp").asText()).matches("-?\\d+\\.\\d{2}");
        assertThat(d.at("/msg/side").asText()).isIn("yes", "no");
        assertThat(d.at("/msg/market_ticker").asText()).isIn("SIM-MKT-001", "SIM-MKT-002");
        assertThat(d.at("/msg/ts_ms").asLong()).isPositive();
      }
      JsonNode t = null;
      for (String f : c.received()) {
        JsonNode n = WsClient.JSON.readTree(f);
        if (n.path("type").asText().equals("ticker")) {
          t = n;
          break;
        }
      }
      assertThat(t).isNotNull();
      assertThat(t.has("seq")).isFalse();
      assertThat(t.at("/msg/yes_bid_dollars").asText()).matches("0\\.\\d{4}");
      assertThat(t.at("/msg/volume_fp").asText()).matches("\\d+\\.\\d{2}");
    }
  }

  @Test
  void journalHoldsExactlyTheDataFramesSentWithTheirRouting() throws Exception {
    try (WsClient c = client()) {
      c.command("subscribe", "{\"channels\":[\"trade\",\"orderbook_delta\"],\"market_ticker\":\"SIM-MKT-003\"}");
      c.command("subscribe", "{\"channels\":[\"market_lifecycle_v2\"]}");
      Thread.sleep(1500);
      c.command("unsubscribe", "{\"sids\":[1,2,3]}");
      Thread.sleep(300);
      List<String> data = new ArrayList<>();
      Set<String> types = new HashSet<>();
      for (String f : c.received()) {
        JsonNode n = WsClient.JSON.readTree(f);
        String type = n.path("type").asText();
        if (Set.of("trade", "orderbook_snapshot", "orderbook_delta", "market_lifecycle_v2", "event_lifecycle").contains(type)) {
          data.add(f);
          types.add(type);
        }
      }
      List<Journal.Entry> journal = sim.journal().entries();
      assertThat(journal).extracting(Journal.Entry::text).containsExactlyElementsOf(data);
      assertThat(types).contains("trade", "orderbook_snapshot", "orderbook_delta", "market_lifecycle_v2", "event_lifecycle");
      for (Journal.Entry e : journal) {
        JsonNode n = WsClient.JSON.readTree(e.bytes());
        switch (n.path("type").asText()) {
          case "trade" -> assertThat(e.type()).isEqualTo("trade");
          case "orderbook_snapshot", "orderbook_delta" -> assertThat(e.type()).isEqualTo("orderbook");
          case "market_lifecycle_v2" -> assertThat(e.type()).isEqualTo("lifecycle");
          default -> {
            assertThat(e.type()).isEqualTo("event_lifecycle");
            assertThat(e.ticker()).isEqualTo(n.at("/msg/event_ticker").asText()).startsWith("SIM-EVT-");
          }
        }
        if (!e.type().equals("event_lifecycle")) {
          assertThat(e.ticker()).isEqualTo(n.at("/msg/market_ticker").asText());
        }
        if (e.type().equals("trade") || e.type().equals("orderbook")) {
          assertThat(e.ticker()).isEqualTo("SIM-MKT-003");
        }
      }
    }
  }

  @Test
  void answersCommandErrorsWithDocumentedCodes() throws Exception {
    try (WsClient c = client()) {
      assertThat(c.reply(c.command("bogus", null), "error").at("/msg/code").asInt()).isEqualTo(5);
      assertThat(c.reply(c.command("subscribe", null), "error").at("/msg/code").asInt()).isEqualTo(2);
      assertThat(c.reply(c.command("subscribe", "{\"channels\":[]}"), "error").at("/msg/code").asInt()).isEqualTo(3);
      assertThat(c.reply(c.command("subscribe", "{\"channels\":[\"ticker_v3\"]}"), "error").at("/msg/code").asInt()).isEqualTo(8);
      assertThat(c.reply(c.command("subscribe", "{\"channels\":[\"orderbook_delta\"]}"), "error").at("/msg/code").asInt()).isEqualTo(14);
      assertThat(c.reply(c.command("subscribe", "{\"channels\":[\"ticker\"],\"shard_factor\":101}"), "error").at("/msg/code").asInt()).isEqualTo(22);
      JsonNode nf = c.reply(c.command("subscribe", "{\"channels\":[\"trade\"],\"market_tickers\":[\"NOPE\"]}"), "error");
      assertThat(nf.at("/msg/code").asInt()).isEqualTo(16);
      assertThat(nf.at("/msg/market_ticker").asText()).isEqualTo("NOPE");
      assertThat(c.reply(c.command("unsubscribe", "{}"), "error").at("/msg/code").asInt()).isEqualTo(4);
      assertThat(c.reply(c.command("unsubscribe", "{\"sids\":[77]}"), "error").at("/msg/code").asInt()).isEqualTo(7);
      assertThat(c.reply(c.command("update_subscription", "{\"sids\":[1,2],\"market_tickers\":[\"SIM-MKT-000\"],\"action\":\"add_markets\"}"), "error")
              .at("/msg/code").asInt())
          .isEqualTo(12);
      assertThat(c.reply(c.command("update_subscription", "{\"sid\":1,\"market_tickers\":[\"SIM-MKT-000\"]}"), "error").at("/msg/code").asInt())
          .isEqualTo(15);
      assertThat(c.reply(c.command("update_subscription", "{\"sid\":1,\"market_tickers\":[\"SIM-MKT-000\"],\"action\":\"rename\"}"), "error")
              .at("/msg/code").asInt())
          .isEqualTo(13);
      assertThat(c.reply(c.command("update_subscription", "{\"sid\":1,\"action\":\"add_markets\"}"), "error").at("/msg/code").asInt()).isEqualTo(14);
      assertThat(c.reply(c.command("update_subscription", "{\"sid\":9,\"market_tickers\":[\"SIM-MKT-000\"],\"action\":\"add_markets\"}"), "error")
              .at("/msg/code").asInt())
          .isEqualTo(7);
      c.sendRaw("not json");
      assertThat(c.await(n -> n.path("type").asText().equals("error")).at("/msg/code").asInt()).isEqualTo(1);
    }
  }

  @Test
  void updateSubscriptionAddsAndDeletesMarketsOnOneSid() throws Exception {
    try (WsClient c = client()) {
      int id = c.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_tickers\":[\"SIM-MKT-000\",\"SIM-MKT-001\"]}");
      long sid = c.reply(id, "subscribed").at("/msg/sid").asLong();
      int lc = c.command("subscribe", "{\"channels\":[\"market_lifecycle_v2\"]}");
      c.reply(lc, "subscribed");
      JsonNode ok =
          c.reply(c.command("update_subscription", "{\"sids\":[" + sid + "],\"market_tickers\":[\"SIM-MKT-005\",\"BAD-1\"],\"action\":\"add_markets\"}"), "ok");
      assertThat(ok.path("sid").asLong()).isEqualTo(sid);
      assertThat(ok.at("/msg/market_tickers")).extracting(JsonNode::asText).containsExactly("SIM-MKT-000", "SIM-MKT-001", "SIM-MKT-005");
      JsonNode snap = c.await(n -> n.path("type").asText().equals("orderbook_snapshot") && n.at("/msg/market_ticker").asText().equals("SIM-MKT-005"));
      assertThat(snap.path("sid").asLong()).isEqualTo(sid);
      assertThat(c.await(n -> n.path("type").asText().equals("error")).at("/msg/market_ticker").asText()).isEqualTo("BAD-1");

      JsonNode del =
          c.reply(c.command("update_subscription", "{\"sid\":" + sid + ",\"market_tickers\":[\"SIM-MKT-000\"],\"action\":\"delete_markets\"}"), "ok");
      assertThat(del.at("/msg/market_tickers")).extracting(JsonNode::asText).containsExactly("SIM-MKT-001", "SIM-MKT-005");

      JsonNode list = c.reply(c.command("list_subscriptions", null), "ok");
      assertThat(list.path("msg")).extracting(n -> n.path("channel").asText()).containsExactly("orderbook_delta", "market_lifecycle_v2");
      Thread.sleep(300);
      int before = c.received().size();
      Thread.sleep(300);
      for (String f : c.received().subList(before, c.received().size())) {
        JsonNode n = WsClient.JSON.readTree(f);
        if (n.path("type").asText().startsWith("orderbook")) { // lifecycle covers every market
          assertThat(n.at("/msg/market_ticker").asText()).isNotEqualTo("SIM-MKT-000");
        }
      }
      JsonNode un = c.reply(c.command("unsubscribe", "{\"sids\":[" + sid + "]}"), "unsubscribed");
      assertThat(un.path("sid").asLong()).isEqualTo(sid);
    }
  }

  @Test
  void skipSeqFaultSkipsOneSeqAndAResubscribeGetsAFreshSnapshot() throws Exception {
    try (WsClient c = client()) {
      long sid = c.reply(c.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_ticker\":\"SIM-MKT-004\"}"), "subscribed").at("/msg/sid").asLong();
      c.await(n -> n.path("type").asText().equals("orderbook_snapshot"));
      JsonNode d = c.await(n -> n.path("type").asText().equals("orderbook_delta"));
      sim.inject(Fault.of(Fault.Kind.SKIP_SEQ, "market", "SIM-MKT-004"));
      long prev = d.path("seq").asLong();
      boolean gap = false;
      for (int i = 0; i < 200 && !gap; i++) {
        long s = c.await(n -> n.path("type").asText().startsWith("orderbook")).path("seq").asLong();
        gap = s == prev + 2;
        assertThat(s).isIn(prev + 1, prev + 2);
        prev = s;
      }
      assertThat(gap).isTrue();
      c.command("update_subscription", "{\"sid\":" + sid + ",\"market_tickers\":[\"SIM-MKT-004\"],\"action\":\"delete_markets\"}");
      c.command("update_subscription", "{\"sid\":" + sid + ",\"market_tickers\":[\"SIM-MKT-004\"],\"action\":\"add_markets\"}");
      JsonNode snap = c.await(n -> n.path("type").asText().equals("orderbook_snapshot"));
      assertThat(snap.path("sid").asLong()).isEqualTo(sid);
      assertThat(snap.path("seq").asLong()).isGreaterThan(prev);
      assertThat(sim.status()).extracting(s -> ((Map<?, ?>) s.get("faults_injected")).get("skip_seq")).isEqualTo(1L);
    }
    while (!sim.connections().isEmpty()) {
      Thread.sleep(20);
    }
    assertThatThrownBy(() -> sim.inject(Fault.of(Fault.Kind.SKIP_SEQ))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void injectsMalformedOversizeAndUnknownTypeFramesWithoutJournalingThem() throws Exception {
    try (WsClient c = client()) {
      c.reply(c.command("list_subscriptions", null), "ok");
      sim.inject(Fault.of(Fault.Kind.MALFORMED));
      sim.inject(Fault.of(Fault.Kind.OVERSIZE, "bytes", "100000"));
      sim.inject(Fault.of(Fault.Kind.UNKNOWN_TYPE));
      String malformed = c.frames.poll(5, TimeUnit.SECONDS);
      String big = c.frames.poll(5, TimeUnit.SECONDS);
      String unknown = c.frames.poll(5, TimeUnit.SECONDS);
      assertThatThrownBy(() -> WsClient.JSON.readTree(malformed)).isInstanceOf(Exception.class);
      assertThat(big).hasSize(100_000);
      assertThat(WsClient.JSON.readTree(big).path("type").asText()).isEqualTo("sim_padding");
      assertThat(WsClient.JSON.readTree(unknown).path("type").asText()).isEqualTo("sim_undocumented");
      assertThat(sim.journal().count()).isZero();
    }
  }

  @Test
  void useYesPriceQuotesTheNoLadderOnTheYesLeg() throws Exception {
    // a quiet venue, so both snapshots see the same book
    KalshiSim quiet = new KalshiSim(KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey())).withMessagesPerSecond(0), new Journal(100), scheduler);
    try (SimServer s = new SimServer(quiet, "127.0.0.1", 0, 1 << 20).start();
        WsClient plain = new WsClient(s.wsUri(), KEY.keyId(), KEY.privateKey());
        WsClient yes = new WsClient(s.wsUri(), KEY.keyId(), KEY.privateKey())) {
      plain.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_ticker\":\"SIM-MKT-006\",\"use_yes_price\":false}");
      yes.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_ticker\":\"SIM-MKT-006\",\"use_yes_price\":true}");
      JsonNode a = plain.await(n -> n.path("type").asText().equals("orderbook_snapshot"));
      JsonNode b = yes.await(n -> n.path("type").asText().equals("orderbook_snapshot"));
      assertThat(b.at("/msg/yes_dollars_fp")).isEqualTo(a.at("/msg/yes_dollars_fp"));
      java.math.BigDecimal noPlain = new java.math.BigDecimal(a.at("/msg/no_dollars_fp/0/0").asText());
      java.math.BigDecimal noYes = new java.math.BigDecimal(b.at("/msg/no_dollars_fp/0/0").asText());
      assertThat(noPlain.add(noYes)).isEqualByComparingTo("1");
    }
  }

  @Test
  void sendsInitialTickerSnapshotsAndNothingForUnsubscribedMarkets() throws Exception {
    try (WsClient c = client()) {
      c.command("subscribe", "{\"channels\":[\"ticker\"],\"market_tickers\":[\"SIM-MKT-007\"],\"send_initial_snapshot\":true}");
      JsonNode t = c.await(n -> n.path("type").asText().equals("ticker"));
      assertThat(t.at("/msg/market_ticker").asText()).isEqualTo("SIM-MKT-007");
      Thread.sleep(500);
      assertThat(sim.journal().entries()).isNotEmpty().allSatisfy(e -> assertThat(e.ticker()).isEqualTo("SIM-MKT-007"));
      assertThat(sim.status()).containsEntry("connections", 1).containsEntry("subscriptions", 1);
    }
  }
}
