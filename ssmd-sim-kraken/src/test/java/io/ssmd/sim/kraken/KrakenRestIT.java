package io.ssmd.sim.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /0/public/AssetPairs} against a running simulator, checked with a real HTTP client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KrakenRestIT {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private SimServer server;
  private KrakenSim sim;

  private void start(KrakenSimOptions options) throws Exception {
    sim = new KrakenSim(options, new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 16 * 1024 * 1024).start();
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

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.httpUri() + pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode pairs(String query) throws Exception {
    HttpResponse<String> r = get("/0/public/AssetPairs" + query);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void anAddedPairIsListedOnlineAfterTheUniverse() throws Exception {
    start(KrakenSimOptions.defaults().withMarkets(4).withMessagesPerSecond(0));
    assertThat(pairs("").path("result").size()).isEqualTo(4);

    String added = sim.addPair();

    assertThat(added).isEqualTo("ADA/USD");
    assertThat(sim.symbols()).endsWith(added);
    JsonNode result = pairs("").path("result");
    assertThat(result.size()).isEqualTo(5);
    JsonNode listed = pairs("?pair=" + added).path("result");
    assertThat(listed.size()).isEqualTo(1);
    assertThat(listed.elements().next().path("wsname").asText()).isEqualTo(AssetPairs.wsname(KrakenUniverse.pair(4)));
    assertThat(listed.elements().next().path("status").asText()).isEqualTo("online");
    // the next one comes after it
    assertThat(sim.addPair()).isEqualTo(KrakenUniverse.pair(5).symbol());
  }

  @Test
  void listsTheUniverseWithV1NamesAndTheInstrumentPrecisions() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0));
    JsonNode body = pairs("");
    assertThat(body.path("error").isArray()).isTrue();
    assertThat(body.path("error")).isEmpty();
    JsonNode result = body.path("result");
    assertThat(result.size()).isEqualTo(10);
    JsonNode btc = result.path("XXBTZUSD");
    assertThat(btc.path("altname").asText()).isEqualTo("XBTUSD");
    assertThat(btc.path("wsname").asText()).isEqualTo("XBT/USD");
    assertThat(btc.path("base").asText()).isEqualTo("XXBT");
    assertThat(btc.path("quote").asText()).isEqualTo("ZUSD");
    assertThat(btc.path("aclass_base").asText()).isEqualTo("currency");
    assertThat(btc.path("pair_decimals").asInt()).isEqualTo(1);
    assertThat(btc.path("lot_decimals").asInt()).isEqualTo(8);
    assertThat(btc.path("cost_decimals").asInt()).isEqualTo(5);
    assertThat(btc.path("lot_multiplier").asInt()).isEqualTo(1);
    assertThat(new BigDecimal(btc.path("ordermin").asText())).isEqualByComparingTo("0.0001");
    assertThat(new BigDecimal(btc.path("tick_size").asText())).isEqualByComparingTo("0.1");
    assertThat(btc.path("status").asText()).isEqualTo("online");
    assertThat(btc.path("leverage_buy")).hasSize(4);
    assertThat(btc.path("fees").get(0).get(1).decimalValue()).isEqualByComparingTo("0.40");
    assertThat(btc.path("fees_maker").get(0).get(1).decimalValue()).isEqualByComparingTo("0.25");
    assertThat(btc.path("fee_volume_currency").asText()).isEqualTo("ZUSD");
    for (String f : List.of("margin_call", "margin_stop", "costmin", "long_position_limit", "short_position_limit")) {
      assertThat(btc.has(f)).as(f).isTrue();
    }
    JsonNode doge = result.path("XDGUSD");
    assertThat(doge.path("wsname").asText()).isEqualTo("XDG/USD");
    assertThat(doge.path("base").asText()).isEqualTo("XXDG");
    assertThat(result.path("SOLUSD").path("base").asText()).isEqualTo("SOL");

    // every pair's precisions agree with the instrument channel's (same universe record)
    for (KrakenUniverse.Pair p : sim.referencePairs()) {
      JsonNode r = result.path(AssetPairs.key(p));
      assertThat(r.path("pair_decimals").asInt()).as(p.symbol()).isEqualTo(p.pricePrecision());
      assertThat(r.path("lot_decimals").asInt()).as(p.symbol()).isEqualTo(p.qtyPrecision());
      assertThat(new BigDecimal(r.path("costmin").asText())).isEqualByComparingTo(p.costMin());
    }
  }

  @Test
  void filtersByPairAcceptingEveryNameAndRejectsUnknownPairs() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0));
    JsonNode some = pairs("?pair=XBTUSD,ETH/USD,XXRPZUSD,XDG/USD");
    assertThat(some.path("result").fieldNames()).toIterable().containsExactly("XXBTZUSD", "XETHZUSD", "XXRPZUSD", "XDGUSD");
    JsonNode unknown = pairs("?pair=XBTUSD,NOPEUSD");
    assertThat(unknown.path("error").get(0).asText()).isEqualTo("EQuery:Unknown asset pair");
    assertThat(unknown.has("result")).isFalse();
    JsonNode fees = pairs("?pair=XBTUSD&info=fees");
    assertThat(fees.path("result").path("XXBTZUSD").fieldNames()).toIterable()
        .containsExactly("fees", "fees_maker", "fee_volume_currency");
    JsonNode leverage = pairs("?pair=SOLUSD&info=leverage");
    assertThat(leverage.path("result").path("SOLUSD").fieldNames()).toIterable().containsExactly("leverage_buy", "leverage_sell");
    assertThat(pairs("?info=everything").path("error").get(0).asText()).startsWith("EGeneral:Invalid arguments");
  }

  @Test
  void referenceUniverseIsListedOnceInFullAndInBatches() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0).withReferencePairs(1000));
    JsonNode all = pairs("").path("result");
    assertThat(all.size()).isEqualTo(1000);
    Set<String> wsnames = new HashSet<>();
    all.forEach(p -> assertThat(wsnames.add(p.path("wsname").asText())).isTrue());
    assertThat(wsnames).contains("XBT/USD", "SIM990/USD");

    // a client asking in batches of 100 altnames sees each pair exactly once
    Map<String, Integer> seen = new HashMap<>();
    List<KrakenUniverse.Pair> ref = sim.referencePairs();
    for (int i = 0; i < ref.size(); i += 100) {
      List<String> batch = new ArrayList<>();
      ref.subList(i, Math.min(ref.size(), i + 100)).forEach(p -> batch.add(AssetPairs.altname(p)));
      pairs("?pair=" + String.join(",", batch)).path("result").fieldNames().forEachRemaining(k -> seen.merge(k, 1, Integer::sum));
    }
    assertThat(seen).hasSize(1000);
    assertThat(seen.values()).containsOnly(1);
    // only the traded pairs are on the WebSocket
    assertThat(sim.symbols()).hasSize(10);
  }

  @Test
  void statusChangesAreVisible() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0));
    sim.setPairStatus("ETH/USD", "cancel_only");
    assertThat(pairs("?pair=ETHUSD").path("result").path("XETHZUSD").path("status").asText()).isEqualTo("cancel_only");
    sim.setPairStatus("XETHZUSD", "online");
    assertThat(pairs("?pair=ETHUSD").path("result").path("XETHZUSD").path("status").asText()).isEqualTo("online");
  }

  @Test
  void instrumentChannelListsTheSameReferencePairsAndStatuses() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0).withMarkets(2).withReferencePairs(50));
    sim.setPairStatus("SIM5/USD", "post_only");
    JsonNode rest = pairs("").path("result");
    try (WsClient c = new WsClient(server.wsUri())) {
      c.send("{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\"}}");
      JsonNode snap = JSON.readTree(c.await(f -> f.contains("\"channel\":\"instrument\",\"type\":\"snapshot\""), 5000));
      JsonNode ws = snap.path("data").path("pairs");
      assertThat(ws.size()).isEqualTo(50).isEqualTo(rest.size());
      for (JsonNode p : ws) {
        KrakenUniverse.Pair u = sim.referencePairs().stream().filter(x -> x.symbol().equals(p.path("symbol").asText())).findFirst().orElseThrow();
        JsonNode r = rest.path(AssetPairs.key(u));
        assertThat(r.path("pair_decimals").asInt()).isEqualTo(p.path("price_precision").asInt());
        assertThat(r.path("lot_decimals").asInt()).isEqualTo(p.path("qty_precision").asInt());
        assertThat(r.path("status").asText()).isEqualTo(p.path("status").asText());
      }
      assertThat(rest.path("SIM5USD").path("status").asText()).isEqualTo("post_only");
    }
  }

  @Test
  void injectedFailuresComeFirstThenDataResumes() throws Exception {
    start(KrakenSimOptions.defaults().withMessagesPerSecond(0));
    sim.failNextRequests(2, 429);
    HttpResponse<String> r = get("/0/public/AssetPairs");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(get("/0/public/AssetPairs").statusCode()).isEqualTo(429);
    assertThat(get("/0/public/AssetPairs").statusCode()).isEqualTo(200);

    HttpResponse<String> queued = post("/_sim/rest-fault?status=503&count=1");
    assertThat(queued.statusCode()).isEqualTo(200);
    HttpResponse<String> unavailable = get("/0/public/AssetPairs?pair=XBTUSD");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(unavailable.body()).path("error").get(0).asText()).isEqualTo("EService:Unavailable");
    assertThat(get("/0/public/AssetPairs?pair=XBTUSD").statusCode()).isEqualTo(200);
    assertThat(post("/_sim/rest-fault?status=404&count=1").statusCode()).isEqualTo(400);
  }
}
