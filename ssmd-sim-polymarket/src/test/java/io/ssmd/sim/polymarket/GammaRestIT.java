package io.ssmd.sim.polymarket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gamma {@code /markets} and {@code /events} of a running simulator, read with a real HTTP client.
 * The 50k-market paging run is in the normal suite (a few seconds); {@code -Dssmd.bigUniverse=true}
 * pages 200k markets as well.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GammaRestIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private SimServer server;
  private PolymarketSim sim;

  private void start(PolymarketSimOptions options) throws Exception {
    sim = new PolymarketSim(options, new Journal(100_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 4 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.httpUri() + pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static int index(JsonNode market) {
    return Integer.parseInt(market.path("id").asText()) - 500_000;
  }

  private static JsonNode twice(JsonNode field) throws Exception {
    assertThat(field.isTextual()).as("JSON inside a string").isTrue();
    return JSON.readTree(field.asText());
  }

  /** Pages {@code /markets?query&limit=&offset=} until a short page; returns how often each market number came. */
  private int[] pageMarkets(String query, int limit, int universe) throws Exception {
    int[] seen = new int[universe + 1];
    for (int offset = 0; ; offset += limit) {
      JsonNode page = ok("/markets?" + query + "&limit=" + limit + "&offset=" + offset);
      page.forEach(m -> seen[index(m)]++);
      if (page.size() < limit) {
        return seen;
      }
    }
  }

  @Test
  void offsetPagingCoversFiftyThousandMarketsExactlyOnce() throws Exception {
    start(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(50_000));
    int[] seen = pageMarkets("active=true", 500, 50_000);
    for (int i = 1; i <= 50_000; i++) {
      assertThat(seen[i]).as("market %d", i).isEqualTo(1);
    }
    // a limit above the cap is served as the cap
    assertThat(ok("/markets?limit=5000").size()).isEqualTo(Gamma.MAX_LIMIT);
  }

  @Test
  void bigUniverseBehindASystemProperty() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("ssmd.bigUniverse"), "set -Dssmd.bigUniverse=true");
    start(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(200_000));
    int[] seen = pageMarkets("closed=false", 500, 200_000);
    for (int i = 1; i <= 200_000; i++) {
      assertThat(seen[i]).as("market %d", i).isEqualTo(sim.marketClosed(i) ? 0 : 1);
    }
  }

  @Test
  void marketsCarryTheSimulatorIdsAndJsonInStringFields() throws Exception {
    start(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(100));
    JsonNode page = ok("/markets?limit=10");
    assertThat(page.size()).isEqualTo(10);
    JsonNode m1 = page.get(0);
    PolymarketUniverse.Market u1 = PolymarketUniverse.market(1);
    assertThat(m1.path("id").asText()).isEqualTo("500001");
    assertThat(m1.path("conditionId").asText()).isEqualTo(u1.conditionId());
    assertThat(m1.path("slug").asText()).isEqualTo(u1.slug());
    assertThat(m1.path("question").asText()).isEqualTo(u1.question());
    assertThat(twice(m1.path("outcomes"))).extracting(JsonNode::asText).containsExactly("Yes", "No");
    assertThat(twice(m1.path("clobTokenIds"))).extracting(JsonNode::asText).containsExactly(u1.yesToken(), u1.noToken());
    JsonNode prices = twice(m1.path("outcomePrices"));
    assertThat(new BigDecimal(prices.get(0).asText()).add(new BigDecimal(prices.get(1).asText()))).isEqualByComparingTo("1");
    for (String f : List.of("startDate", "endDate", "createdAt", "updatedAt", "volumeNum", "liquidityNum", "volume24hr",
        "enableOrderBook", "acceptingOrders", "orderPriceMinTickSize", "orderMinSize", "negRisk", "questionID", "events")) {
      assertThat(m1.has(f)).as(f).isTrue();
    }
    assertThat(m1.path("active").asBoolean()).isTrue();
    assertThat(m1.path("closed").asBoolean()).isFalse();
    assertThat(m1.path("events").get(0).path("id").asText()).isEqualTo("900001");
  }

  @Test
  void eventsNestEveryMarketExactlyOnceAcrossPages() throws Exception {
    start(PolymarketSimOptions.defaults().withMessagesPerSecond(0).withReferenceMarkets(1003));
    int[] seen = new int[1004];
    List<String> eventIds = new ArrayList<>();
    boolean multi = false;
    for (int offset = 0; ; offset += 100) {
      JsonNode page = ok("/events?limit=100&offset=" + offset);
      for (JsonNode e : page) {
        eventIds.add(e.path("id").asText());
        multi |= e.path("markets").size() > 1;
        for (JsonNode m : e.path("markets")) {
          seen[index(m)]++;
          assertThat(twice(m.path("clobTokenIds"))).hasSize(2);
        }
        assertThat(e.path("tags").get(0).has("id")).isTrue();
        assertThat(e.has("series")).isTrue();
      }
      if (page.size() < 100) {
        break;
      }
    }
    assertThat(multi).isTrue();
    assertThat(eventIds).doesNotHaveDuplicates();
    for (int i = 1; i <= 1003; i++) {
      assertThat(seen[i]).as("market %d", i).isEqualTo(1);
    }
    // closed events: all their markets closed, and closed=false pages only open markets
    for (JsonNode e : ok("/events?closed=false&limit=500")) {
      assertThat(e.path("closed").asBoolean()).isFalse();
    }
  }

  @Test
  void filtersSelectTheNamedMarkets() throws Exception {
    start(PolymarketSimOptions.defaults().withMarkets(5).withMessagesPerSecond(0).withReferenceMarkets(1000));
    int[] closed = pageMarkets("closed=true", 100, 1000);
    for (int i = 1; i <= 1000; i++) {
      assertThat(closed[i]).as("market %d", i).isEqualTo(i > 5 && i % 7 == 0 ? 1 : 0);
    }
    PolymarketUniverse.Market m42 = PolymarketUniverse.market(42);
    PolymarketUniverse.Market m43 = PolymarketUniverse.market(43);
    assertThat(ok("/markets?slug=" + m42.slug()).get(0).path("conditionId").asText()).isEqualTo(m42.conditionId());
    assertThat(ok("/markets?id=500042&id=500043")).extracting(GammaRestIT::index).containsExactly(42, 43);
    assertThat(ok("/markets?condition_ids=" + m43.conditionId() + "," + m42.conditionId())).extracting(GammaRestIT::index)
        .containsExactly(42, 43);
    assertThat(ok("/markets?clob_token_ids=" + m43.noToken())).extracting(GammaRestIT::index).containsExactly(43);
    assertThat(ok("/markets?id=500042&slug=" + m43.slug())).isEmpty();
    assertThat(ok("/markets?archived=true")).isEmpty();
    assertThat(ok("/markets?active=false")).isEmpty();

    String tag = ok("/events?limit=1").get(0).path("tags").get(0).path("id").asText();
    for (JsonNode e : ok("/events?tag_id=" + tag + "&limit=500")) {
      assertThat(e.path("tags").get(0).path("id").asText()).isEqualTo(tag);
    }
    for (JsonNode m : ok("/markets?tag_id=" + tag + "&limit=500")) {
      assertThat(m.path("events").get(0).path("tags").get(0).path("id").asText()).isEqualTo(tag);
    }
    assertThat(ok("/events?slug=ssmd-sim-event-3").get(0).path("id").asText()).isEqualTo("900003");
    assertThat(ok("/events/slug/ssmd-sim-event-3").path("markets").size()).isEqualTo(2);
    assertThat(ok("/markets/slug/" + m42.slug()).path("conditionId").asText()).isEqualTo(m42.conditionId());
    assertThat(get("/markets/slug/no-such-market").statusCode()).isEqualTo(404);

    // ordered by volume24hr descending, across two pages without overlap
    JsonNode p1 = ok("/markets?order=volume24hr&ascending=false&limit=50");
    JsonNode p2 = ok("/markets?order=volume24hr&ascending=false&limit=50&offset=50");
    List<BigDecimal> volumes = new ArrayList<>();
    BitSet ids = new BitSet();
    for (JsonNode page : List.of(p1, p2)) {
      for (JsonNode m : page) {
        volumes.add(m.path("volume24hr").decimalValue());
        assertThat(ids.get(index(m))).isFalse();
        ids.set(index(m));
      }
    }
    assertThat(volumes).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(ok("/markets?ascending=false&limit=1").get(0).path("id").asText()).isEqualTo("501000");
    assertThat(get("/markets?order=nonsense").statusCode()).isEqualTo(422);
    assertThat(get("/markets?closed=maybe").statusCode()).isEqualTo(422);
  }

  @Test
  void mutationsChangeTheRestViewAndAnnounceOnTheWebSocket() throws Exception {
    start(PolymarketSimOptions.defaults().withMarkets(5).withMessagesPerSecond(0).withReferenceMarkets(100));
    PolymarketUniverse.Market m2 = PolymarketUniverse.market(2);
    try (TestClient c = new TestClient(server.wsUri())) {
      c.send("{\"assets_ids\":[\"" + m2.yesToken() + "\",\"" + m2.noToken() + "\"],\"type\":\"market\",\"initial_dump\":true,"
          + "\"custom_feature_enabled\":true}");
      assertThat(c.nextContaining("\"book\"", 5000)).isNotNull();

      String before = ok("/markets?id=500002").get(0).path("updatedAt").asText();
      sim.closeMarket(2);
      assertThat(c.nextContaining("\"market_resolved\"", 5000)).contains(m2.conditionId()).contains("\"winning_outcome\":\"No\"");
      JsonNode closed = ok("/markets?id=500002").get(0);
      assertThat(closed.path("closed").asBoolean()).isTrue();
      assertThat(closed.path("acceptingOrders").asBoolean()).isFalse();
      assertThat(twice(closed.path("outcomePrices"))).extracting(JsonNode::asText).containsExactly("0", "1");
      assertThat(closed.path("updatedAt").asText()).isNotEqualTo(before);
      assertThat(ok("/markets?closed=true&limit=500")).extracting(GammaRestIT::index).contains(2);

      sim.renameMarket(3, "Will the \"renamed\" market happen?");
      assertThat(ok("/markets?id=500003").get(0).path("question").asText()).isEqualTo("Will the \"renamed\" market happen?");

      // a new market is announced to every custom-feature connection, and can then be subscribed
      int added = sim.addMarket();
      assertThat(added).isEqualTo(101);
      PolymarketUniverse.Market m101 = PolymarketUniverse.market(101);
      assertThat(c.nextContaining("\"new_market\"", 5000)).contains(m101.conditionId());
      JsonNode fresh = ok("/markets?id=500101").get(0);
      assertThat(fresh.path("closed").asBoolean()).isFalse();
      assertThat(fresh.path("new").asBoolean()).isTrue();
      assertThat(ok("/markets?limit=500").size()).isEqualTo(101);
      c.send("{\"assets_ids\":[\"" + m101.yesToken() + "\"],\"operation\":\"subscribe\",\"custom_feature_enabled\":true}");
      assertThat(c.nextContaining(m101.yesToken(), 5000)).contains("\"book\"");

      // reopening a closed reference-only market makes it tradable too
      assertThat(sim.marketClosed(14)).isTrue();
      sim.openMarket(14);
      assertThat(c.nextContaining("\"new_market\"", 5000)).contains(PolymarketUniverse.market(14).conditionId());
      assertThat(ok("/markets?id=500014").get(0).path("closed").asBoolean()).isFalse();
      sim.openMarket(2);
      assertThat(ok("/markets?id=500002").get(0).path("closed").asBoolean()).isFalse();
    }
  }

  @Test
  void injectedFailuresComeFirstThenDataResumes() throws Exception {
    start(PolymarketSimOptions.defaults().withMessagesPerSecond(0));
    sim.failNextRequests(1, 429);
    HttpResponse<String> limited = get("/markets");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(get("/markets").statusCode()).isEqualTo(200);

    HttpResponse<String> queued = http.send(
        HttpRequest.newBuilder(URI.create(server.httpUri() + "/_sim/rest-fault?status=502&count=2")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(queued.statusCode()).isEqualTo(200);
    assertThat(get("/events").statusCode()).isEqualTo(502);
    assertThat(get("/markets").statusCode()).isEqualTo(502);
    assertThat(get("/events").statusCode()).isEqualTo(200);
    assertThat(sim.status()).containsEntry("restFailuresPending", 0);
  }
}
