package io.ssmd.sim.polymarket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PolymarketSimIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PolymarketUniverse.Market M1 = PolymarketUniverse.market(1);
  private static final PolymarketUniverse.Market M2 = PolymarketUniverse.market(2);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private SimServer server;
  private PolymarketSim sim;

  private TestClient start(PolymarketSimOptions options) throws Exception {
    sim = new PolymarketSim(options, new Journal(100_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
    return new TestClient(server.wsUri());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  private static String initial(List<String> assets, boolean custom) {
    return "{\"assets_ids\":" + ids(assets) + ",\"type\":\"market\",\"initial_dump\":true,\"custom_feature_enabled\":" + custom + "}";
  }

  private static String op(String op, List<String> assets) {
    return "{\"assets_ids\":" + ids(assets) + ",\"operation\":\"" + op + "\",\"custom_feature_enabled\":true}";
  }

  private static String ids(List<String> assets) {
    return "[\"" + String.join("\",\"", assets) + "\"]";
  }

  @Test
  void answersSubscriptionsWithBooksAndPingWithPong() throws Exception {
    try (TestClient c = start(PolymarketSimOptions.defaults().withMessagesPerSecond(0))) {
      c.send(initial(M1.tokens(), true));
      JsonNode dump = JSON.readTree(c.next(5000));
      assertThat(dump.isArray()).isTrue();
      assertThat(dump).hasSize(2);
      for (JsonNode book : dump) {
        assertThat(book.path("event_type").asText()).isEqualTo("book");
        assertThat(book.path("market").asText()).isEqualTo(M1.conditionId());
        assertThat(book.path("timestamp").isTextual()).isTrue();
        assertThat(book.path("bids").size()).isEqualTo(5);
      }
      // Both tokens mirror each other: the Yes best bid p is the No best ask 1-p.
      BigDecimal yesBestBid = new BigDecimal(dump.get(0).path("bids").get(4).path("price").asText());
      BigDecimal noBestAsk = new BigDecimal(dump.get(1).path("asks").get(0).path("price").asText());
      assertThat(yesBestBid.add(noBestAsk)).isEqualByComparingTo("1");

      c.send("PING");
      assertThat(c.next(5000)).isEqualTo("PONG");
      c.send(initial(M2.tokens(), true));
      assertThat(c.next(5000)).isEqualTo("INVALID OPERATION");
      c.send(op("subscribe", M1.tokens()));
      assertThat(c.next(5000)).isEqualTo("[]"); // duplicate subscription ignored
      c.send(op("subscribe", List.of(M2.yesToken())));
      JsonNode more = JSON.readTree(c.next(5000));
      assertThat(more).hasSize(1);
      assertThat(more.get(0).path("asset_id").asText()).isEqualTo(M2.yesToken());

      Thread.sleep(100);
      assertThat(sim.journal().entries())
          .extracting(Journal.Entry::type, Journal.Entry::ticker)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("orderbook", M1.conditionId()),
              org.assertj.core.groups.Tuple.tuple("orderbook", M1.conditionId()),
              org.assertj.core.groups.Tuple.tuple("orderbook", M2.conditionId()));
      assertThat(sim.status()).containsEntry("subscriptions", 3).containsEntry("connections", 1);
    }
  }

  @Test
  void generatesDataOnlyForSubscribedMarketsAndConsistentWithTheBooks() throws Exception {
    try (TestClient c = start(PolymarketSimOptions.defaults().withMessagesPerSecond(400))) {
      c.send(initial(M2.tokens(), true));
      Thread.sleep(1500);
      sim.pauseData(true);
      Thread.sleep(200);
      Map<String, Long> types = new HashMap<>();
      Model model = new Model();
      List<String> frames = new ArrayList<>();
      for (String f; (f = c.next(200)) != null; ) {
        frames.add(f);
      }
      int elements = 0;
      for (String f : frames) {
        JsonNode n = JSON.readTree(f);
        for (JsonNode e : n.isArray() ? n : List.of(n)) {
          elements++;
          assertThat(e.path("market").asText()).isEqualTo(M2.conditionId());
          types.merge(e.path("event_type").asText(), 1L, Long::sum);
          assertThat(model.apply(e)).as("consistent best prices in %s", e).isTrue();
        }
      }
      assertThat(types).containsKeys("book", "price_change", "last_trade_price", "best_bid_ask");
      assertThat(sim.journal().entries()).hasSize(elements);
    }
  }

  @Test
  void withholdsCustomFeatureEventsFromClientsThatDidNotEnableThem() throws Exception {
    try (TestClient c = start(PolymarketSimOptions.defaults().withMessagesPerSecond(400))) {
      c.send(initial(M1.tokens(), false));
      Thread.sleep(800);
      sim.announceMarket(1);
      sim.pauseData(true);
      List<String> frames = new ArrayList<>();
      for (String f; (f = c.next(300)) != null; ) {
        frames.add(f);
      }
      assertThat(frames).isNotEmpty().noneMatch(f -> f.contains("\"best_bid_ask\"") || f.contains("\"new_market\""));
    }
  }

  @Test
  void bboMismatchSendsBestPricesThatDisagreeWithTheBookOnce() throws Exception {
    try (TestClient c = start(PolymarketSimOptions.defaults().withMessagesPerSecond(300))) {
      c.send(initial(M1.tokens(), true));
      Thread.sleep(300);
      sim.inject(new Fault(Fault.Kind.BBO_MISMATCH, Map.of("asset", M1.noToken())));
      Thread.sleep(800);
      sim.pauseData(true);
      assertThat(sim.bboMismatchPending()).isFalse();
      Model model = new Model();
      int mismatches = 0;
      for (String f; (f = c.next(300)) != null; ) {
        JsonNode n = JSON.readTree(f);
        for (JsonNode e : n.isArray() ? n : List.of(n)) {
          if (!model.apply(e)) {
            mismatches++;
          }
        }
      }
      assertThat(mismatches).isEqualTo(1);
      // Cycling the subscription gets a fresh book.
      c.send(op("unsubscribe", List.of(M1.noToken())));
      c.send(op("subscribe", List.of(M1.noToken())));
      JsonNode fresh = JSON.readTree(c.nextContaining("\"book\"", 5000));
      assertThat(fresh.get(0).path("asset_id").asText()).isEqualTo(M1.noToken());
      // the initial subscription, then the cycle; the Yes token was never touched again
      assertThat(sim.subscriptionOps(M1.noToken())).isEqualTo(new PolymarketSim.SubscriptionOps(2, 1));
      assertThat(sim.subscriptionOps(M1.yesToken())).isEqualTo(new PolymarketSim.SubscriptionOps(1, 0));
      assertThat(sim.status().get("faultsInjected")).isEqualTo(Map.of("bbo_mismatch", 1L));
    }
  }

  @Test
  void closesConnectionsThatStopPinging() throws Exception {
    PolymarketSimOptions o = PolymarketSimOptions.defaults().withMessagesPerSecond(0).withPingTimeout(Duration.ofMillis(400));
    try (TestClient quiet = start(o); TestClient pinging = new TestClient(server.wsUri())) {
      for (int i = 0; i < 10; i++) {
        pinging.send("PING");
        Thread.sleep(100);
      }
      assertThat(quiet.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
      assertThat(pinging.closed).isNotDone();
    }
  }

  @Test
  void injectsMalformedUnknownAndOversizeFramesWithoutJournalingThem() throws Exception {
    try (TestClient c = start(PolymarketSimOptions.defaults().withMessagesPerSecond(0))) {
      c.send("PING");
      assertThat(c.next(5000)).isEqualTo("PONG");
      sim.inject(Fault.of(Fault.Kind.MALFORMED));
      String bad = c.next(5000);
      assertThatThrownBy(() -> JSON.readTree(bad)).isInstanceOf(Exception.class);
      sim.inject(Fault.of(Fault.Kind.UNKNOWN_TYPE));
      assertThat(JSON.readTree(c.next(5000)).path("event_type").asText()).isEqualTo("sim_unannounced");
      sim.inject(Fault.of(Fault.Kind.OVERSIZE, "bytes", "100000"));
      assertThat(c.next(5000)).hasSize(100_000);
      assertThat(sim.journal().count()).isZero();
      assertThatThrownBy(() -> sim.inject(Fault.of(Fault.Kind.SKIP_SEQ))).isInstanceOf(IllegalArgumentException.class);
      sim.inject(Fault.of(Fault.Kind.DROP));
      assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
    }
  }

  /** A client-side book per asset, checking every best_bid/best_ask against it. */
  static final class Model {
    private final Map<String, TreeMap<BigDecimal, BigDecimal>[]> books = new HashMap<>();

    @SuppressWarnings("unchecked")
    boolean apply(JsonNode e) {
      switch (e.path("event_type").asText()) {
        case "book" -> {
          TreeMap<BigDecimal, BigDecimal>[] b = new TreeMap[] {new TreeMap<>(), new TreeMap<>()};
          e.path("bids").forEach(l -> b[0].put(new BigDecimal(l.path("price").asText()), new BigDecimal(l.path("size").asText())));
          e.path("asks").forEach(l -> b[1].put(new BigDecimal(l.path("price").asText()), new BigDecimal(l.path("size").asText())));
          books.put(e.path("asset_id").asText(), b);
          return true;
        }
        case "price_change" -> {
          boolean ok = true;
          for (JsonNode c : e.path("price_changes")) {
            TreeMap<BigDecimal, BigDecimal>[] b = books.get(c.path("asset_id").asText());
            TreeMap<BigDecimal, BigDecimal> side = b[c.path("side").asText().equals("BUY") ? 0 : 1];
            BigDecimal size = new BigDecimal(c.path("size").asText());
            if (size.signum() == 0) {
              side.remove(new BigDecimal(c.path("price").asText()));
            } else {
              side.put(new BigDecimal(c.path("price").asText()), size);
            }
            ok &= agrees(b, c);
          }
          return ok;
        }
        case "best_bid_ask" -> {
          return agrees(books.get(e.path("asset_id").asText()), e);
        }
        default -> {
          return true;
        }
      }
    }

    private static boolean agrees(TreeMap<BigDecimal, BigDecimal>[] b, JsonNode q) {
      return b[0].lastKey().compareTo(new BigDecimal(q.path("best_bid").asText())) == 0
          && b[1].firstKey().compareTo(new BigDecimal(q.path("best_ask").asText())) == 0;
    }
  }
}
