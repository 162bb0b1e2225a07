package io.ssmd.sim.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The simulator's Kalshi Trade API v2 REST over a real HTTP server. */
@Timeout(60)
class KalshiRestIT {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ScheduledExecutorService scheduler;
  private SimServer server;
  private KalshiSim sim;

  private void start(int referenceMarkets) throws Exception {
    scheduler = Executors.newScheduledThreadPool(2);
    KalshiSimOptions opts =
        KalshiSimOptions.defaults(Map.of(KEY.keyId(), KEY.publicKey()))
            .withMessagesPerSecond(0)
            .withLifecycleInterval(Duration.ofHours(1))
            .withReferenceMarkets(referenceMarkets);
    sim = new KalshiSim(opts, new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
      scheduler.shutdownNow();
    }
  }

  private record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  private Reply get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(server.httpUri() + "/trade-api/v2" + pathAndQuery)).GET().build());
  }

  private Reply send(HttpRequest request) throws Exception {
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
  }

  private List<JsonNode> pageAll(String path, String field, int limit) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    String cursor = "";
    String sep = path.contains("?") ? "&" : "?";
    int pages = 0;
    do {
      Reply r = get(path + sep + "limit=" + limit + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      r.body().path(field).forEach(all::add);
      assertThat(r.body().path(field).size()).isLessThanOrEqualTo(limit);
      cursor = r.body().path("cursor").asText();
      assertThat(++pages).isLessThan(100_000);
    } while (!cursor.isEmpty());
    return all;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static Set<String> tickers(List<JsonNode> markets) {
    Set<String> out = new HashSet<>();
    markets.forEach(m -> assertThat(out.add(m.path("ticker").asText())).as("duplicate " + m.path("ticker")).isTrue());
    return out;
  }

  @Test
  void pagesThroughFiftyThousandMarketsWithCursorsGivingEachExactlyOnce() throws Exception {
    start(50_000);
    long t = System.nanoTime();
    List<JsonNode> all = pageAll("/markets", "markets", 1000);
    long ms = (System.nanoTime() - t) / 1_000_000;
    Set<String> tickers = tickers(all);
    assertThat(tickers).hasSize(50_000).contains("SIM-MKT-000", "SIM-MKT-009", "SIM-MKT-999", "SIM-MKT-1000", "SIM-MKT-12345", "SIM-MKT-49999");
    System.out.printf("paged 50000 markets in %d ms%n", ms);

    Reply first = get("/markets");
    assertThat(first.body().path("markets")).hasSize(100);
    assertThat(first.body().path("cursor").asText()).isNotEmpty();

    JsonNode m = all.get(12_345);
    assertThat(m.path("ticker").asText()).isEqualTo("SIM-MKT-12345");
    assertThat(m.path("event_ticker").asText()).isEqualTo("SIM-EVT-1234");
    assertThat(m.path("market_type").asText()).isEqualTo("binary");
    for (String f : List.of("yes_bid_dollars", "yes_ask_dollars", "no_bid_dollars", "no_ask_dollars", "last_price_dollars", "notional_value_dollars")) {
      assertThat(m.path(f).asText()).as(f).matches("\\d\\.\\d{4}");
    }
    for (String f : List.of("volume_fp", "volume_24h_fp", "open_interest_fp", "yes_bid_size_fp", "yes_ask_size_fp")) {
      assertThat(m.path(f).asText()).as(f).matches("\\d+\\.\\d{2}");
    }
    for (String f : List.of("created_time", "updated_time", "open_time", "close_time")) {
      Instant.parse(m.path(f).asText());
    }
    assertThat(m.path("price_level_structure").asText()).isIn("linear_cent", "deci_cent", "tapered_deci_cent");
    assertThat(m.path("price_ranges").get(0).path("step").asText()).matches("0\\.0\\d{3}");
    assertThat(all.stream().map(x -> x.path("status").asText()).distinct())
        .containsExactlyInAnyOrder("active", "initialized", "closed", "determined", "finalized");
    assertThat(all.stream().map(x -> x.path("price_level_structure").asText()).distinct()).hasSize(3);
    // the WebSocket universe is open, so a connector can subscribe to all of it
    assertThat(all.subList(0, 10)).allSatisfy(x -> assertThat(x.path("status").asText()).isEqualTo("active"));
    assertThat(get("/markets/SIM-MKT-12345").body().path("market")).isEqualTo(m);
  }

  @Test
  void eventsPageTwoHundredAtMostWithNestedMarkets() throws Exception {
    start(20_000);
    List<JsonNode> events = pageAll("/events", "events", 200);
    assertThat(events).hasSize(2_000);
    assertThat(events.stream().map(e -> e.path("event_ticker").asText()).distinct()).hasSize(2_000);
    assertThat(events.get(0).has("markets")).isFalse();
    assertThat(events.stream().map(e -> e.path("series_ticker").asText()).distinct()).containsExactlyInAnyOrder("SIM", "SIMWX", "SIMPOL", "SIMSPT");

    Reply nested = get("/events?with_nested_markets=true&limit=3");
    assertThat(nested.body().path("events")).hasSize(3);
    JsonNode e0 = nested.body().path("events").get(0);
    assertThat(e0.path("event_ticker").asText()).isEqualTo("SIM-EVT-00");
    assertThat(e0.path("markets")).hasSize(10);
    assertThat(e0.path("markets").get(9).path("ticker").asText()).isEqualTo("SIM-MKT-009");
    assertThat(get("/events").body().path("events")).hasSize(200);
    assertThat(get("/events?limit=201").status()).isEqualTo(400);

    List<JsonNode> open = pageAll("/events?status=open&series_ticker=SIMWX", "events", 200);
    assertThat(open).isNotEmpty().allSatisfy(e -> assertThat(e.path("series_ticker").asText()).isEqualTo("SIMWX"));
    JsonNode openNested = get("/events?status=open&series_ticker=SIMWX&with_nested_markets=true&limit=5").body();
    openNested.path("events").forEach(e -> e.path("markets").forEach(mk -> assertThat(mk.path("status").asText()).isEqualTo("active")));
    long now = Instant.now().getEpochSecond();
    pageAll("/events?min_close_ts=" + now, "events", 200)
        .forEach(e -> assertThat(Instant.parse(e.path("strike_date").asText()).getEpochSecond()).isGreaterThanOrEqualTo(now));

    Reply one = get("/events/SIM-EVT-1234");
    assertThat(one.body().path("event").path("event_ticker").asText()).isEqualTo("SIM-EVT-1234");
    assertThat(one.body().path("markets")).hasSize(10);
    assertThat(get("/events/NOPE").status()).isEqualTo(404);
  }

  @Test
  void marketFiltersAndForbiddenCombinations() throws Exception {
    start(20_000);
    long now = Instant.now().getEpochSecond();
    List<JsonNode> open = pageAll("/markets?status=open", "markets", 1000);
    assertThat(open).hasSizeGreaterThan(10_000).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("active"));
    List<JsonNode> unopened = pageAll("/markets?status=unopened", "markets", 1000);
    assertThat(unopened).isNotEmpty().allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("initialized"));
    List<JsonNode> closed = pageAll("/markets?status=closed&max_close_ts=" + now, "markets", 1000);
    assertThat(closed).isNotEmpty().allSatisfy(m -> {
      assertThat(m.path("status").asText()).isIn("closed", "determined");
      assertThat(Instant.parse(m.path("close_time").asText()).getEpochSecond()).isLessThanOrEqualTo(now);
    });
    List<JsonNode> settled = pageAll("/markets?status=settled", "markets", 1000);
    assertThat(settled).isNotEmpty().allSatisfy(m -> {
      assertThat(m.path("status").asText()).isEqualTo("finalized");
      assertThat(m.path("result").asText()).isIn("yes", "no");
      assertThat(m.path("settlement_ts").asText()).isNotEmpty();
    });
    assertThat(open.size() + unopened.size() + closed.size() + settled.size()).isEqualTo(20_000);

    assertThat(tickers(list(get("/markets?event_ticker=SIM-EVT-1234").body().path("markets"))))
        .containsExactlyInAnyOrder("SIM-MKT-12340", "SIM-MKT-12341", "SIM-MKT-12342", "SIM-MKT-12343", "SIM-MKT-12344",
            "SIM-MKT-12345", "SIM-MKT-12346", "SIM-MKT-12347", "SIM-MKT-12348", "SIM-MKT-12349");
    assertThat(tickers(list(get("/markets?tickers=SIM-MKT-12345,SIM-MKT-000,NOPE,SIM-MKT-5").body().path("markets"))))
        .containsExactlyInAnyOrder("SIM-MKT-000", "SIM-MKT-12345");
    List<JsonNode> wx = pageAll("/markets?series_ticker=SIMWX", "markets", 1000);
    Set<String> wxEvents = new HashSet<>();
    pageAll("/events?series_ticker=SIMWX", "events", 200).forEach(e -> wxEvents.add(e.path("event_ticker").asText()));
    assertThat(wx).isNotEmpty().allSatisfy(m -> assertThat(wxEvents).contains(m.path("event_ticker").asText()));
    assertThat(get("/markets?series_ticker=NOPE").body().path("markets")).isEmpty();
    // the cursor of a filtered page resumes the same filter
    Reply p1 = get("/markets?series_ticker=SIMWX&limit=7");
    Reply p2 = get("/markets?series_ticker=SIMWX&limit=7&cursor=" + p1.body().path("cursor").asText());
    assertThat(p2.body().path("markets").get(0)).isEqualTo(wx.get(7));

    for (String bad : List.of("status=open&min_close_ts=1", "status=settled&max_close_ts=1", "status=closed&min_created_ts=1",
        "status=open&min_settled_ts=1", "status=bogus", "limit=1001", "limit=0", "cursor=garbage", "min_close_ts=yesterday")) {
      Reply r = get("/markets?" + bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.body().at("/error/code").asText()).as(bad).isEqualTo("bad_request");
      assertThat(r.body().at("/error/message").asText()).as(bad).isNotEmpty();
    }
    assertThat(get("/markets?min_close_ts=" + now).status()).isEqualTo(200);
    List<JsonNode> createdLate = pageAll("/markets?status=open&min_created_ts=" + (now - 100 * 86_400L), "markets", 1000);
    assertThat(createdLate).isNotEmpty().hasSizeLessThan(open.size())
        .allSatisfy(m -> assertThat(Instant.parse(m.path("created_time").asText()).getEpochSecond()).isGreaterThanOrEqualTo(now - 100 * 86_400L));
    assertThat(get("/markets?mve_filter=only").body().path("markets")).isEmpty();
    assertThat(get("/markets?mve_filter=exclude&limit=3").body().path("markets")).hasSize(3);
    assertThat(get("/events?tickers=SIM-EVT-1234,SIM-EVT-07,NOPE").body().path("events")).extracting(e -> e.path("event_ticker").asText())
        .containsExactly("SIM-EVT-07", "SIM-EVT-1234");
    assertThat(get("/markets?status=closed&min_close_ts=1").status()).isEqualTo(200);
    assertThat(get("/markets/SIM-MKT-20000").status()).isEqualTo(404);
    assertThat(get("/markets/SIM-MKT-19999").body().at("/market/ticker").asText()).isEqualTo("SIM-MKT-19999");
  }

  @Test
  void seriesFeeChangesAndExchangeStatus() throws Exception {
    start(0);
    assertThat(get("/series").body().path("series")).extracting(s -> s.path("ticker").asText())
        .containsExactly("SIM", "SIMWX", "SIMPOL", "SIMSPT");
    JsonNode wx = get("/series?category=Climate%20and%20Weather&include_volume=true").body().path("series");
    assertThat(wx).hasSize(1);
    assertThat(wx.get(0).path("fee_type").asText()).isEqualTo("quadratic_with_maker_fees");
    assertThat(wx.get(0).path("volume_fp").asText()).matches("\\d+\\.\\d{2}");
    assertThat(get("/series?tags=Elections").body().path("series")).extracting(s -> s.path("ticker").asText()).containsExactly("SIMPOL");
    JsonNode one = get("/series/SIM").body().path("series");
    assertThat(one.path("tags")).extracting(JsonNode::asText).contains("Inflation");
    assertThat(one.path("settlement_sources").get(0).has("url")).isTrue();
    assertThat(get("/series/NOPE").status()).isEqualTo(404);
    assertThat(get("/series?min_updated_ts=" + Instant.now().getEpochSecond()).body().path("series")).isEmpty();
    assertThat(get("/series?min_updated_ts=soon").status()).isEqualTo(400);
    JsonNode fees = get("/series/fee_changes?series_ticker=SIMWX&show_historical=true").body().path("series_fee_change_arr");
    assertThat(fees).hasSize(2);
    assertThat(fees.get(1).path("scheduled_ts").asText()).isNotEmpty();
    assertThat(get("/exchange/status").body().path("trading_active").asBoolean()).isTrue();
    // by default the REST universe is the WebSocket one
    assertThat(pageAll("/markets", "markets", 1000)).hasSize(10);
    assertThat(sim.referenceMarkets()).isEqualTo(10);
  }

  @Test
  void failsRequestsWith429AndRetryAfterOr5xxAndMalformsOneMarket() throws Exception {
    start(100);
    sim.failNextRequests(2, 429);
    for (int i = 0; i < 2; i++) {
      Reply r = get("/markets");
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
      assertThat(r.body().at("/error/code").asText()).isEqualTo("too_many_requests");
    }
    assertThat(get("/markets").status()).isEqualTo(200);

    HttpRequest control = HttpRequest.newBuilder(URI.create(server.httpUri() + "/_sim/rest-fault?status=503&count=1"))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    assertThat(send(control).status()).isEqualTo(200);
    assertThat(get("/events").status()).isEqualTo(503);
    assertThat(get("/events").status()).isEqualTo(200);
    HttpRequest badControl = HttpRequest.newBuilder(URI.create(server.httpUri() + "/_sim/rest-fault?status=200&count=1"))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    assertThat(send(badControl).status()).isEqualTo(400);
    assertThatThrownBy(() -> sim.failNextRequests(1, 404)).isInstanceOf(IllegalArgumentException.class);

    sim.malformNextMarket();
    JsonNode page = get("/markets?limit=5").body().path("markets");
    assertThat(page).hasSize(5);
    assertThat(page.get(0).has("status")).isFalse();
    assertThat(page.get(0).path("close_time").isNumber()).isTrue();
    for (int i = 1; i < 5; i++) {
      assertThat(page.get(i).path("status").isTextual()).isTrue();
    }
    assertThat(sim.status()).containsEntry("rest_failed", 3L).containsEntry("rest_malformed_markets", 1L);
  }

  @Test
  void mutationsMoveUpdatedTimeAndSendLifecycleMessages() throws Exception {
    start(50_000);
    JsonNode unopened = get("/markets?status=unopened&limit=1").body().path("markets").get(0);
    String toOpen = unopened.path("ticker").asText();
    String added;
    long since = Instant.now().getEpochSecond();
    assertThat(get("/markets?min_updated_ts=" + since).body().path("markets")).isEmpty();

    try (WsClient ws = new WsClient(server.wsUri(), KEY.keyId(), KEY.privateKey())) {
      ws.reply(ws.command("subscribe", "{\"channels\":[\"market_lifecycle_v2\"]}"), "subscribed");
      // not subscribable over the WebSocket until it opens
      ws.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_ticker\":\"" + toOpen + "\"}");
      assertThat(ws.await(n -> n.path("type").asText().equals("error")).at("/msg/code").asInt()).isEqualTo(16);

      sim.closeMarket("SIM-MKT-000");
      sim.renameMarket("SIM-MKT-20000", "Renamed market");
      sim.openMarket(toOpen);
      added = sim.addMarket("Brand new market");
      assertThat(added).isEqualTo("SIM-MKT-50000");

      assertThat(lifecycle(ws, "SIM-MKT-000").path("event_type").asText()).isEqualTo("deactivated");
      JsonNode renamed = lifecycle(ws, "SIM-MKT-20000");
      assertThat(renamed.path("event_type").asText()).isEqualTo("metadata_updated");
      assertThat(renamed.at("/additional_metadata/title").asText()).isEqualTo("Renamed market");
      assertThat(lifecycle(ws, toOpen).path("event_type").asText()).isEqualTo("activated");
      JsonNode created = lifecycle(ws, added);
      assertThat(created.path("event_type").asText()).isEqualTo("created");
      assertThat(created.at("/additional_metadata/event_ticker").asText()).isEqualTo("SIM-EVT-5000");

      int id = ws.command("subscribe", "{\"channels\":[\"orderbook_delta\"],\"market_tickers\":[\"" + toOpen + "\",\"" + added + "\"]}");
      ws.reply(id, "subscribed");
      assertThat(ws.await(n -> n.path("type").asText().equals("orderbook_snapshot")).at("/msg/market_ticker").asText()).isIn(toOpen, added);
    }

    List<JsonNode> changed = pageAll("/markets?min_updated_ts=" + since, "markets", 1000);
    Map<String, JsonNode> byTicker = new java.util.HashMap<>();
    changed.forEach(m -> byTicker.put(m.path("ticker").asText(), m));
    assertThat(byTicker.keySet()).containsExactlyInAnyOrder("SIM-MKT-000", "SIM-MKT-20000", toOpen, added);
    assertThat(byTicker.get("SIM-MKT-000").path("status").asText()).isEqualTo("closed");
    assertThat(Instant.parse(byTicker.get("SIM-MKT-000").path("updated_time").asText()).getEpochSecond()).isGreaterThanOrEqualTo(since);
    assertThat(byTicker.get("SIM-MKT-20000").path("title").asText()).isEqualTo("Renamed market");
    assertThat(byTicker.get(toOpen).path("status").asText()).isEqualTo("active");
    assertThat(byTicker.get(added).path("status").asText()).isEqualTo("active");
    assertThat(byTicker.get(added).path("event_ticker").asText()).isEqualTo("SIM-EVT-5000");
    assertThat(pageAll("/markets", "markets", 1000)).hasSize(50_001);
    assertThat(get("/events?min_updated_ts=" + since).body().path("events")).extracting(e -> e.path("event_ticker").asText())
        .contains("SIM-EVT-00", "SIM-EVT-2000", "SIM-EVT-5000");
    // min_updated_ts combines with the other filters
    assertThat(pageAll("/markets?status=closed&min_updated_ts=" + since, "markets", 1000)).extracting(m -> m.path("ticker").asText())
        .containsExactly("SIM-MKT-000");
    assertThatThrownBy(() -> sim.closeMarket("NOPE-1")).isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode lifecycle(WsClient ws, String ticker) throws Exception {
    return ws.await(n -> n.path("type").asText().equals("market_lifecycle_v2") && n.at("/msg/market_ticker").asText().equals(ticker)).path("msg");
  }

  /** 500k markets: run with -Dssmd.bigUniverse=true. */
  @Test
  @EnabledIfSystemProperty(named = "ssmd.bigUniverse", matches = "true")
  @Timeout(300)
  void pagesHalfAMillionMarkets() throws Exception {
    start(500_000);
    long t = System.nanoTime();
    // keep only the tickers: half a million parsed market trees would not fit the test heap
    Set<String> tickers = new HashSet<>();
    String cursor = "";
    do {
      Reply r = get("/markets?limit=1000" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      r.body().path("markets").forEach(m -> assertThat(tickers.add(m.path("ticker").asText())).isTrue());
      cursor = r.body().path("cursor").asText();
    } while (!cursor.isEmpty());
    long ms = (System.nanoTime() - t) / 1_000_000;
    assertThat(tickers).hasSize(500_000);
    System.out.printf("paged 500000 markets in %d ms (%.0f markets/s)%n", ms, 500_000 * 1000.0 / ms);
  }
}
